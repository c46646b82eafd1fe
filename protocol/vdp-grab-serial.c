/* SPDX-License-Identifier: MIT */
#include "vdp-grab-serial.h"

void vdp_grab_serial_reset(struct vdp_grab_serial *s)
{
	s->next = 0;
}

uint32_t vdp_grab_serial_ours(struct vdp_grab_serial *s)
{
	return s->next++;
}

bool vdp_grab_serial_theirs(struct vdp_grab_serial *s, uint32_t got)
{
	if (got == s->next - 1)
		return true;
	if (got == s->next) {
		s->next++;
		return true;
	}
	return false;
}
