/* SPDX-License-Identifier: MIT */
/* CLIPBOARD_GRAB_SERIAL bookkeeping (protocol/vdp-grab-serial.h). */
#include "config.h"

#include "tap.h"
#include "vdp-grab-serial.h"

int main(void)
{
	struct vdp_grab_serial s;

	vdp_grab_serial_reset(&s);
	ok(vdp_grab_serial_theirs(&s, 0), "a new client's first grab (0)");
	ok(vdp_grab_serial_theirs(&s, 1), "its next grab (1)");
	ok(!vdp_grab_serial_theirs(&s, 5), "a grab from the future is stale");
	is_int(vdp_grab_serial_ours(&s), 2, "our grab carries 2");
	is_int(s.next, 3, "and the count advances");
	ok(vdp_grab_serial_theirs(&s, 2),
	   "a client grab racing ours (2) wins");
	is_int(s.next, 3, "... without advancing");
	ok(!vdp_grab_serial_theirs(&s, 1), "an older grab is stale");
	ok(vdp_grab_serial_theirs(&s, 3), "the current serial (3) is taken");
	vdp_grab_serial_reset(&s);
	is_int(vdp_grab_serial_ours(&s), 0, "after a reset ours start at 0");
	s.next = 0;
	ok(vdp_grab_serial_theirs(&s, UINT32_MAX),
	   "at 0 the one before wraps to UINT32_MAX");
	return tap_done();
}
