/*
 * Functions that planpack does not call, made compile errors (as git's banned.h does).
 * Each has a bounded or thread-safe form that says what it does:
 *   strcpy, strcat, strncpy, strncat   a struct buf (base/buf.h), or memcpy with a length
 *   sprintf, vsprintf                  snprintf, or buf_addf()
 *   atoi, atol, atoll                  strtol / strtoll, checking the end and the range
 *   strtok                             strtok_r, or a loop over (ptr, len)
 *   gmtime, localtime, ctime, asctime  the _r forms, with the caller's struct tm
 *
 * The Makefile includes this header before every file of src/ (-include), so it first
 * includes the C library's own declarations; a banned call then reads as
 * sorry_strcpy_is_a_banned_function in the compiler's error.
 */
#ifndef PLANPACK_BANNED_H
#define PLANPACK_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)

#endif
