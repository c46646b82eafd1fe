/* SPDX-License-Identifier: MIT */
/* MOUSE_STATE -> SendInput (absolute over the virtual desktop).  The
 * decisions are mouse-plan.c's; this file only feeds Windows. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "displays.h"

struct wa_mouse;

struct wa_mouse *wa_mouse_new(struct wa_displays *d);
void wa_mouse_free(struct wa_mouse *m);
/* MOUSE_STATE payload: 0 or the parser's errno. */
int wa_mouse_handle(struct wa_mouse *m, const uint8_t *data, size_t size);
/* The client went away: release what it held down. */
void wa_mouse_client_disconnected(struct wa_mouse *m);
