/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the agent core (windows/vdagent/agent.h) in the feature
 * modules' unit tests: records every message a module sends, holds the
 * client's capabilities the test chooses, owns a message-only window, and
 * runs a test hook in place of the port while a module waits.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

#include "agent.h"

struct fake_msg {
	uint32_t type;
	uint8_t *data; /* head then data, as sent */
	size_t size;
};

/* The window procedure offers messages to wndproc(user, ...) first. */
typedef bool (*fake_wndproc_fn)(void *user, UINT msg, WPARAM wp, LPARAM lp,
				LRESULT *result);

struct wa_agent *fake_core_new(void);
void fake_core_free(struct wa_agent *a);

/* The client announces caps (n indices); ours are every cap, so the
 * negotiated set is the same. */
void fake_core_set_client_caps(struct wa_agent *a, const unsigned *caps,
			       size_t n);
void fake_core_set_wndproc(struct wa_agent *a, fake_wndproc_fn fn,
			   void *user);

/* While a module is in wa_agent_wait(), hook(user) runs once in place of
 * the port's I/O (e.g. to deliver the client's answer). */
void fake_core_set_wait_hook(struct wa_agent *a, void (*hook)(void *user),
			     void *user);

/* wa_agent_send() fails with this negative errno from now on (0: works). */
void fake_core_set_send_error(struct wa_agent *a, int err);

size_t fake_core_count(const struct wa_agent *a);
const struct fake_msg *fake_core_msg(const struct wa_agent *a, size_t i);
/* The last message, or NULL when none was sent. */
const struct fake_msg *fake_core_last(const struct wa_agent *a);
void fake_core_clear(struct wa_agent *a);

/* Dispatch the thread's pending window messages. */
void fake_core_pump(void);
