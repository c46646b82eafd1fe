/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "file-xfer-state.h"
#include "vdp-wire.h"

/* GIOErrorEnum values (GLib's gio/gioenums.h), the ones we send */
enum gio_error {
	GIO_FAILED = 0,
	GIO_NOT_FOUND = 1,
	GIO_EXISTS = 2,
	GIO_FILENAME_TOO_LONG = 9,
	GIO_INVALID_FILENAME = 10,
	GIO_NO_SPACE = 12,
	GIO_INVALID_ARGUMENT = 13,
	GIO_PERMISSION_DENIED = 14,
	GIO_CANCELLED = 19,
	GIO_BUSY = 26,
	GIO_TOO_MANY_OPEN_FILES = 31,
};

struct wa_xfer_step wa_xfer_transition(enum wa_xfer_state s,
				       enum wa_xfer_event e)
{
	struct wa_xfer_step no = { .valid = false, .next = s, .status = -1 };

	switch (s) {
	case WA_XFER_NEW:
		if (e == WA_XFER_EV_OPENED)
			return (struct wa_xfer_step){
				true, WA_XFER_RECEIVING,
				VDP_XFER_STATUS_CAN_SEND_DATA, false };
		if (e == WA_XFER_EV_FAILED)
			return (struct wa_xfer_step){
				true, WA_XFER_DONE, VDP_XFER_STATUS_ERROR,
				false };
		if (e == WA_XFER_EV_CANCELLED)
			return (struct wa_xfer_step){ true, WA_XFER_DONE, -1,
						      false };
		return no;
	case WA_XFER_RECEIVING:
		if (e == WA_XFER_EV_SAVED)
			return (struct wa_xfer_step){
				true, WA_XFER_DONE, VDP_XFER_STATUS_SUCCESS,
				false };
		if (e == WA_XFER_EV_FAILED)
			return (struct wa_xfer_step){
				true, WA_XFER_DONE, VDP_XFER_STATUS_ERROR,
				true };
		if (e == WA_XFER_EV_CANCELLED)
			return (struct wa_xfer_step){ true, WA_XFER_DONE, -1,
						      true };
		return no;
	case WA_XFER_DONE:
		return no;
	}
	return no;
}

const char *wa_xfer_state_name(enum wa_xfer_state s)
{
	switch (s) {
	case WA_XFER_NEW:
		return "new";
	case WA_XFER_RECEIVING:
		return "receiving";
	case WA_XFER_DONE:
		return "done";
	}
	return "?";
}

const char *wa_xfer_event_name(enum wa_xfer_event e)
{
	switch (e) {
	case WA_XFER_EV_OPENED:
		return "opened";
	case WA_XFER_EV_SAVED:
		return "saved";
	case WA_XFER_EV_FAILED:
		return "failed";
	case WA_XFER_EV_CANCELLED:
		return "cancelled";
	}
	return "?";
}

unsigned wa_xfer_gio_error(int neg_errno)
{
	switch (-neg_errno) {
	case ENOENT:
		return GIO_NOT_FOUND;
	case EEXIST:
		return GIO_EXISTS;
	case ENAMETOOLONG:
		return GIO_FILENAME_TOO_LONG;
	case EILSEQ:
		return GIO_INVALID_FILENAME;
	case ENOSPC:
		return GIO_NO_SPACE;
	case EINVAL:
	case EFBIG:
		return GIO_INVALID_ARGUMENT;
	case EACCES:
	case EPERM:
		return GIO_PERMISSION_DENIED;
	case ECANCELED:
		return GIO_CANCELLED;
	case EBUSY:
		return GIO_BUSY;
	case EMFILE:
		return GIO_TOO_MANY_OPEN_FILES;
	default:
		return GIO_FAILED;
	}
}
