/* SPDX-License-Identifier: MIT */
/*
 * Clipboard text conversions both agents need: line endings and
 * Latin-1 <-> UTF-8.  Pure byte work, no locale, no platform API.
 *
 * Each conversion returns a malloc'd buffer holding the result and a
 * terminating NUL that *out_len does not count, or NULL when out of
 * memory or when the result's size would overflow size_t.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LF -> CRLF; an LF that already follows a CR is left alone. */
uint8_t *vdp_lf_to_crlf(const uint8_t *in, size_t len, size_t *out_len);
/* CRLF -> LF; lone CRs are kept. */
uint8_t *vdp_crlf_to_lf(const uint8_t *in, size_t len, size_t *out_len);

/* ISO-8859-1 -> UTF-8 (always succeeds but for memory). */
uint8_t *vdp_latin1_to_utf8(const uint8_t *in, size_t len, size_t *out_len);
/* UTF-8 -> ISO-8859-1: characters outside Latin-1 and every byte of an
 * invalid sequence become '?'. */
uint8_t *vdp_utf8_to_latin1(const uint8_t *in, size_t len, size_t *out_len);

/*
 * Whether clipboard text must have its line ends converted between the
 * guest and the client.  guest_crlf: the guest's own text uses CRLF
 * (Windows) rather than LF (X11).  client_lf/client_crlf: the client's
 * GUEST_LINEEND_LF/_CRLF capabilities, i.e. the line end of the text it
 * sends and wants.  A client that announces neither (spice-gtk) or both
 * converts itself from the agent's announcement; we convert only when it
 * announced the other line end alone.
 */
bool vdp_lineend_convert_needed(bool guest_crlf, bool client_lf,
				bool client_crlf);
