/*
 * Calendar dates, written YYYY-MM-DD: the one place planpack reads, checks and writes
 * them, for package files (a support entry's `checked:`, a change's `date:`), the store's
 * days (a class's creation, a focus group's day) and what the staff pages and reports show.
 *
 * A day is a number of days since 1970-01-01 (day 0) in the proleptic Gregorian calendar,
 * negative before it.
 */
#ifndef PLANPACK_BASE_DATE_H
#define PLANPACK_BASE_DATE_H

#include <time.h>

/* The earliest and latest years a written date may have. */
#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 9999

/*
 * Reads s as a real calendar date written YYYY-MM-DD (four, two and two digits, a year
 * from DATE_YEAR_MIN to DATE_YEAR_MAX, "2023-02-29" refused) into *day. Returns 0, or -1
 * leaving *day alone.
 */
__attribute__((warn_unused_result)) int date_parse(const char *s, int *day);
/* Writes day as YYYY-MM-DD into out (11 bytes); "0000-00-00" outside years 0 to 9999. */
void date_format(int day, char out[11]);
/* The day t falls on in the local calendar. */
int date_from_time(time_t t);

#endif
