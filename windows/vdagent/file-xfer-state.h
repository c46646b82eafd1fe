/* SPDX-License-Identifier: MIT */
/*
 * The life of one file transfer as a state machine, and the error codes
 * the client is told.  No Windows API: unit-tested as it is.
 *
 *   NEW --opened--> RECEIVING --saved--> DONE        (SUCCESS)
 *    |                 |--failed-------> DONE        (ERROR, file removed)
 *    |                 |--cancelled----> DONE        (file removed)
 *    |--failed-------------------------> DONE        (ERROR)
 */
#pragma once

#include <stdbool.h>

enum wa_xfer_state {
	WA_XFER_NEW,       /* START accepted by the checks, no file yet */
	WA_XFER_RECEIVING, /* temporary file open, CAN_SEND_DATA sent */
	WA_XFER_DONE,      /* ended; the transfer is forgotten */
};

enum wa_xfer_event {
	WA_XFER_EV_OPENED,    /* the temporary file exists */
	WA_XFER_EV_SAVED,     /* all bytes written and moved to its name */
	WA_XFER_EV_FAILED,    /* refused or failed here */
	WA_XFER_EV_CANCELLED, /* the client cancelled, or went away */
};

struct wa_xfer_step {
	bool valid;               /* false: the event does not apply here */
	enum wa_xfer_state next;
	int status;               /* enum vdp_xfer_status to send, or -1 */
	bool remove_file;         /* delete the temporary file */
};

struct wa_xfer_step wa_xfer_transition(enum wa_xfer_state s,
				       enum wa_xfer_event e);
const char *wa_xfer_state_name(enum wa_xfer_state s);
const char *wa_xfer_event_name(enum wa_xfer_event e);

/* The GIOErrorEnum value spice clients expect in an ERROR detail, for a
 * negative errno of ours. */
unsigned wa_xfer_gio_error(int neg_errno);
