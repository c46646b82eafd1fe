/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for protocol/vdp-text.c: clipboard text from either side
 * through the line-end and Latin-1 conversions.  Beyond "no crash": LF ->
 * CRLF -> LF gives back text without CRs, Latin-1 -> UTF-8 is valid UTF-8
 * and converts back to the same bytes, UTF-8 -> Latin-1 never grows.
 */
#include <stdlib.h>
#include <string.h>

#include "vdp-text.h"
#include "vdp-validate.h"

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			__builtin_trap();                                     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n1, n2;
	uint8_t *a, *b;

	a = vdp_lf_to_crlf(data, size, &n1);
	CHECK(a != NULL && n1 >= size);
	b = vdp_crlf_to_lf(a, n1, &n2);
	CHECK(b != NULL);
	if (!memchr(data, '\r', size))
		CHECK(n2 == size && memcmp(b, data, size) == 0);
	free(a);
	free(b);

	a = vdp_latin1_to_utf8(data, size, &n1);
	CHECK(a != NULL && n1 >= size && vdp_check_utf8(a, n1) == 0);
	b = vdp_utf8_to_latin1(a, n1, &n2);
	CHECK(b != NULL && n2 == size && memcmp(b, data, size) == 0);
	free(a);
	free(b);

	a = vdp_utf8_to_latin1(data, size, &n1);
	CHECK(a != NULL && n1 <= size);
	free(a);
	return 0;
}
