/* The progress bar: its text as a pure function, and silence off a terminal. */
#include "testutil.h"

#include <fcntl.h>

#include "photovoice/util.h"

static void count_rate_and_time_left(void **state)
{
	(void)state;
	char line[256];
	/* 10 of 40 in 4 s: 2.5/s, 30 left at that rate is 12 s */
	pv_progress_format(line, sizeof line, "ingest", 10, 40, 4.0, 80);
	assert_non_null(strstr(line, "ingest 10/40"));
	assert_non_null(strstr(line, "2.5/s"));
	assert_non_null(strstr(line, "0:12 left"));
}

static void fast_rates_have_no_decimals(void **state)
{
	(void)state;
	char line[256];
	pv_progress_format(line, sizeof line, "x", 300, 600, 2.0, 80);
	assert_non_null(strstr(line, "150/s"));
	assert_non_null(strstr(line, "0:02 left"));
}

static void long_times_show_minutes_and_hours(void **state)
{
	(void)state;
	char line[256];
	/* 1 of 1000 in 10 s: 999 x 10 s = 9990 s = 2:46:30 */
	pv_progress_format(line, sizeof line, "x", 1, 1000, 10.0, 80);
	assert_non_null(strstr(line, "2:46:30 left"));
	/* 1 of 10 in 10 s: 90 s = 1:30 */
	pv_progress_format(line, sizeof line, "x", 1, 10, 10.0, 80);
	assert_non_null(strstr(line, "1:30 left"));
}

static void unknown_rate_before_the_first_item(void **state)
{
	(void)state;
	char line[256];
	pv_progress_format(line, sizeof line, "x", 0, 10, 0.0, 80);
	assert_non_null(strstr(line, "0/10"));
	assert_non_null(strstr(line, "-/s"));
	assert_non_null(strstr(line, "-:-- left"));
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void bar_fills_with_the_count_and_fits_the_width(void **state)
{
	(void)state;
	char line[256];
	for (int width = 60; width <= 200; width += 35) {
		/* 20/s: no decimal point, so every '.' is an empty cell */
		pv_progress_format(line, sizeof line, "ingest", 5, 10, 0.25, width);
		assert_true(strlen(line) < (size_t)width);
		size_t filled = count_char(line, '#'), empty = count_char(line, '.');
		assert_true(filled > 0);
		/* half done: half the bar, give or take one cell */
		assert_true(filled + 1 >= empty && empty + 1 >= filled);
	}
	pv_progress_format(line, sizeof line, "ingest", 10, 10, 1.0, 80);
	/* all done at 10/s: a full bar, no empty cell and no decimal point */
	assert_int_equal(count_char(line, '.'), 0);
	assert_true(count_char(line, '#') > 10);
}

static void narrow_terminal_leaves_the_bar_out(void **state)
{
	(void)state;
	char line[256];
	pv_progress_format(line, sizeof line, "ingest", 5, 10, 1.0, 30);
	assert_null(strchr(line, '['));
	assert_non_null(strstr(line, "5/10"));
}

static void small_buffer_is_never_overrun(void **state)
{
	(void)state;
	char line[16];
	memset(line, 'Z', sizeof line);
	pv_progress_format(line, 12, "a long label here", 123456, 999999, 3.0, 200);
	assert_true(strlen(line) < 12);
	assert_int_equal(line[12], 'Z');
}

/* Off a terminal, nothing at all is written to stderr. */
static void silent_without_a_terminal(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	char path[600];
	snprintf(path, sizeof path, "%s/stderr", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	pv_progress_start(3, "test");
	for (int i = 0; i < 3; i++)
		pv_progress_step(1);
	pv_progress_clear();
	pv_progress_done();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	assert_int_equal(ftell(f), 0);
	fclose(f);
	pv_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(count_rate_and_time_left),
		cmocka_unit_test(fast_rates_have_no_decimals),
		cmocka_unit_test(long_times_show_minutes_and_hours),
		cmocka_unit_test(unknown_rate_before_the_first_item),
		cmocka_unit_test(bar_fills_with_the_count_and_fits_the_width),
		cmocka_unit_test(narrow_terminal_leaves_the_bar_out),
		cmocka_unit_test(small_buffer_is_never_overrun),
		cmocka_unit_test(silent_without_a_terminal),
	};
	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
