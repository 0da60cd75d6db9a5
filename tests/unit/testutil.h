/* Shared set-up for the cmocka unit tests. */
#ifndef PLANPACK_TESTUTIL_H
#define PLANPACK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
