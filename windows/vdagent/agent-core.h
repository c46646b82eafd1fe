/* SPDX-License-Identifier: MIT */
/* The core's own entry points, for main.c (the feature modules see
 * agent.h only). */
#pragma once

#include "agent.h"
#include "options.h"

/* The largest message accepted from the client (a clipboard payload), as
 * vdagentd's PORT_MAX_MESSAGE; memory is only taken as bytes arrive.  A
 * larger one breaks the stream: the port is reopened. */
#define WA_MESSAGE_MAX (256u * 1024u * 1024u)
/* The output queue's bound: one message that large with its chunk
 * headers (8 bytes per 2 KiB), and room for small ones. */
#define WA_OUTPUT_MAX (WA_MESSAGE_MAX + 4u * 1024u * 1024u)

/* Create the window, the modules and the port (opened by the loop).
 * NULL on failure, logged. */
struct wa_agent *wa_agent_new(const struct wa_options *o);
void wa_agent_free(struct wa_agent *a);
/* Serve until WM_QUIT reaches the thread; returns its exit code. */
int wa_agent_run(struct wa_agent *a);
