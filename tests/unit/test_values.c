/* One validator per kind of value (src/util/values.c): the dates and yes/no
 * words every door into the archive takes. */
#include "testutil.h"

#include "photovoice/util.h"

static void dates_are_days_of_the_calendar(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2024-02-29", "2000-02-29", "2026-01-05", "2026-01-31", "2026-04-30",
		"2026-12-31", "1999-12-31", "9999-12-31", "0001-01-01",
	};
	static const char *const bad[] = {
		"2026-02-29", "1900-02-29", "2100-02-29", "2026-02-30", "2026-02-31",
		"2026-04-31", "2026-06-31", "2026-09-31", "2026-11-31", "2026-13-01",
		"2026-00-01", "2026-01-00", "2026-01-32", "2026-1-5", "2026-01-5",
		"2026-1-05", " 2026-01-05", "2026-01-05 ", "2026-01-05\n", "26-01-05",
		"05-01-2026", "2026/01/05", "2026-01-05x", "+026-01-05", "2026-+1-05",
		"2026--1-05", "0000-01-01", "2026-0a-05", "", NULL,
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!pv_date_valid(good[i]))
			fail_msg("%s was refused", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (pv_date_valid(bad[i]))
			fail_msg("\"%s\" was taken as a date", bad[i]);
}

static void yes_and_no_in_dutch_and_english(void **state)
{
	(void)state;
	static const char *const yes[] = { "ja", "Ja", "JA", "yes", "YES", "j", "y", "true", "1" };
	static const char *const no[] = { "nee", "Nee", "no", "NO", "n", "false", "0" };
	static const char *const neither[] = { "", " ja", "ja ", "jaa", "misschien", "2", NULL };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_int_equal(pv_yes_no_parse(yes[i]), 1);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_int_equal(pv_yes_no_parse(no[i]), 0);
	for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
		assert_int_equal(pv_yes_no_parse(neither[i]), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_are_days_of_the_calendar),
		cmocka_unit_test(yes_and_no_in_dutch_and_english),
	};
	return cmocka_run_group_tests_name("values", tests, NULL, NULL);
}
