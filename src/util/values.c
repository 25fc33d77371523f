/*
 * One validator per kind of value, shared by every door that takes one: the
 * caption files, the spec files and the command line. A value one of them
 * takes, the others take too, and one refuses what all of them refuse.
 */
#include <string.h>
#include <strings.h>

#include "photovoice/util.h"

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* The number held by n ASCII digits at s, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int pv_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1)
		return 0;
	return day <= days_in_month(year, month);
}

int pv_date_none(const char *s)
{
	return s && (strcasecmp(s, "none") == 0 || strcasecmp(s, "geen") == 0);
}

int pv_yes_no_parse(const char *s)
{
	static const char *const yes[] = { "ja", "yes", "j", "y", "true", "1" };
	static const char *const no[] = { "nee", "no", "n", "false", "0" };
	for (size_t i = 0; s && i < sizeof yes / sizeof *yes; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; s && i < sizeof no / sizeof *no; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}
