/* SPDX-License-Identifier: MIT */
/*
 * Validators: one parse function per message type.
 *
 * Each vdp_parse_*() checks a received message payload completely (fixed
 * and variable parts, nothing missing, no trailing bytes) and fills a
 * host-endian view.  Views never allocate: variable data (clipboard bytes,
 * file data, key file text, device addresses) points into the payload, so
 * a view is valid only as long as the payload is.  Arrays are copied into
 * fixed-size members with explicit bounds.
 *
 * Return value: 0, or a negative errno:
 *   -EBADMSG  wrong size or layout (too short, trailing bytes, mismatch)
 *   -E2BIG    a count or length over the bound defined here
 *   -EILSEQ   bad UTF-8, or a NUL where none is allowed / missing NUL
 *   -EINVAL   a field holds a value that is not allowed
 * On error the view's contents are unspecified.
 *
 * Where the layout depends on capabilities (the clipboard selection prefix
 * and the grab serial), the caller passes the negotiated set, i.e. the
 * intersection of what both sides announced.  A NULL set means "nothing
 * negotiated".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-caps.h"
#include "vdp-wire.h"

/* ---- bounds ------------------------------------------------------------ */

#define VDP_MONITORS_MAX 64u
#define VDP_CLIPBOARD_TYPES_MAX 64u
#define VDP_DEVICE_DISPLAYS_MAX 64u
/* device_address_len as on the wire, the NUL included */
#define VDP_DEVICE_ADDRESS_MAX 1024u
/* FILE_XFER_START key file text, a trailing NUL included */
#define VDP_XFER_START_TEXT_MAX (64u * 1024u)
/* a file name from the key file, unescaped, the NUL included */
#define VDP_XFER_NAME_MAX 1024u
#define VDP_VOLUME_CHANNELS_MAX 255u

/* ---- MOUSE_STATE: exactly 13 bytes ------------------------------------- */

struct vdp_mouse_state {
	uint32_t x;
	uint32_t y;
	uint32_t buttons; /* enum vdp_button_mask bits */
	uint8_t display_id;
};

int vdp_parse_mouse_state(const uint8_t *data, size_t size,
			  struct vdp_mouse_state *out);

/* ---- MONITORS_CONFIG ---------------------------------------------------- */

struct vdp_monitor {
	uint32_t width;
	uint32_t height;
	uint32_t depth;
	int32_t x;
	int32_t y;
	/* 0 unless the message has VDP_MONITORS_FLAG_PHYSICAL_SIZE */
	uint16_t width_mm;
	uint16_t height_mm;
	/* false for a sparse/disabled entry: width or height is 0 */
	bool enabled;
};

struct vdp_monitors_config {
	uint32_t flags; /* enum vdp_monitors_flag bits; unknown bits kept */
	uint32_t count; /* 1..VDP_MONITORS_MAX, disabled entries included */
	struct vdp_monitor mon[VDP_MONITORS_MAX];
};

/* size must be 8 + count*20, plus count*4 with PHYSICAL_SIZE.
 * count 0: -EINVAL; count > VDP_MONITORS_MAX: -E2BIG. */
int vdp_parse_monitors_config(const uint8_t *data, size_t size,
			      struct vdp_monitors_config *out);

/* ---- REPLY: exactly 8 bytes --------------------------------------------- */

struct vdp_reply {
	uint32_t type;  /* the message type answered */
	uint32_t error; /* VDP_REPLY_SUCCESS or VDP_REPLY_ERROR, else -EINVAL */
};

int vdp_parse_reply(const uint8_t *data, size_t size, struct vdp_reply *out);

/* ---- DISPLAY_CONFIG: exactly 8 bytes ------------------------------------ */

struct vdp_display_config {
	uint32_t flags; /* enum vdp_display_config_flag bits */
	uint32_t depth;
};

int vdp_parse_display_config(const uint8_t *data, size_t size,
			     struct vdp_display_config *out);

/* ---- ANNOUNCE_CAPABILITIES --------------------------------------------- */

struct vdp_capabilities {
	bool request;         /* the peer wants ours in return */
	struct vdp_caps caps; /* unknown bits and extra words dropped */
};

/* size must be 4 + 4*n with n >= 1. */
int vdp_parse_capabilities(const uint8_t *data, size_t size,
			   struct vdp_capabilities *out);

/* ---- clipboard ----------------------------------------------------------
 * With VDP_CAP_CLIPBOARD_SELECTION negotiated every clipboard message starts
 * with the 4-byte selection prefix (selection < VDP_SELECTION_END, else
 * -EINVAL); without it the prefix must be absent and selection is
 * VDP_SELECTION_CLIPBOARD.  Clipboard type values are not checked: unknown
 * ones are kept and the consumer filters them (VDP_CLIPBOARD_NONE is what an
 * agent sends when it has no data for a request).
 */

struct vdp_clipboard {
	uint8_t selection;
	uint32_t type;
	const uint8_t *data; /* into the payload */
	size_t size;
};

int vdp_parse_clipboard(const uint8_t *data, size_t size,
			const struct vdp_caps *negotiated,
			struct vdp_clipboard *out);

struct vdp_clipboard_grab {
	uint8_t selection;
	/* present exactly when VDP_CAP_CLIPBOARD_GRAB_SERIAL is negotiated */
	bool has_serial;
	uint32_t serial;
	uint32_t count; /* 0..VDP_CLIPBOARD_TYPES_MAX, else -E2BIG */
	uint32_t types[VDP_CLIPBOARD_TYPES_MAX];
};

/* [prefix] [serial] then a whole number of u32 types. */
int vdp_parse_clipboard_grab(const uint8_t *data, size_t size,
			     const struct vdp_caps *negotiated,
			     struct vdp_clipboard_grab *out);

struct vdp_clipboard_request {
	uint8_t selection;
	uint32_t type;
};

/* [prefix] then exactly one u32 type. */
int vdp_parse_clipboard_request(const uint8_t *data, size_t size,
				const struct vdp_caps *negotiated,
				struct vdp_clipboard_request *out);

struct vdp_clipboard_release {
	uint8_t selection;
};

/* [prefix] only: 4 bytes with the selection cap, else empty. */
int vdp_parse_clipboard_release(const uint8_t *data, size_t size,
				const struct vdp_caps *negotiated,
				struct vdp_clipboard_release *out);

/* ---- MAX_CLIPBOARD: exactly 4 bytes ------------------------------------- */

struct vdp_max_clipboard {
	int32_t max; /* bytes; <= 0 means no limit */
};

int vdp_parse_max_clipboard(const uint8_t *data, size_t size,
			    struct vdp_max_clipboard *out);

/* ---- file transfer ------------------------------------------------------ */

struct vdp_xfer_start {
	uint32_t id;
	/* GKeyFile text, valid UTF-8 without NUL; NOT NUL-terminated (a
	 * trailing NUL on the wire is allowed and excluded from the length) */
	const char *keyfile;
	size_t keyfile_len;
};

/* id, then at most VDP_XFER_START_TEXT_MAX bytes of text (-E2BIG), valid
 * UTF-8 with no interior NUL (-EILSEQ).  The key file itself is parsed by
 * vdp_xfer_keyfile_parse(). */
int vdp_parse_xfer_start(const uint8_t *data, size_t size,
			 struct vdp_xfer_start *out);

/*
 * Find group [vdagent-file-xfer] in GKeyFile text and read its keys
 * name= (unescaping \s \n \t \r \\) and size= (decimal u64).
 * name_out receives the NUL-terminated name; name_size at most
 * VDP_XFER_NAME_MAX is useful.  Blank lines, # comments, other groups,
 * other keys and localized keys (name[xx]=) are skipped; for a repeated key
 * the last one wins; "\r\n" line ends are accepted.
 * Returns 0, -ENOENT (group or a key missing), -EINVAL (bad escape, bad or
 * overflowing size, empty name, a line that is neither group nor key),
 * -E2BIG (name does not fit name_size), -EILSEQ (NUL or bad UTF-8).
 * The name is NOT checked for path separators: see vdp_xfer_name_is_safe().
 */
int vdp_xfer_keyfile_parse(const char *text, size_t len, char *name_out,
			   size_t name_size, uint64_t *size_out);

/* True if name can be used as a plain file name in a target directory on
 * Linux and Windows: not empty, not "." or "..", no '/' or '\\', no control
 * characters. */
bool vdp_xfer_name_is_safe(const char *name);

enum vdp_xfer_detail {
	VDP_XFER_DETAIL_NONE = 0,
	VDP_XFER_DETAIL_ERROR,     /* error_type, error_code valid */
	VDP_XFER_DETAIL_NO_SPACE,  /* disk_free_space valid */
};

struct vdp_xfer_status_msg {
	uint32_t id;
	/* enum vdp_xfer_status; values >= VDP_XFER_STATUS_END are kept and
	 * mean an error the consumer does not know */
	uint32_t result;
	enum vdp_xfer_detail detail;
	uint8_t error_type;  /* VDP_XFER_ERROR_GLIB_IO */
	uint32_t error_code; /* GIOErrorEnum value */
	uint64_t disk_free_space;
};

/* 8 bytes; or 8+5 when result is ERROR; or 8+8 when result is
 * NOT_ENOUGH_SPACE; anything else -EBADMSG. */
int vdp_parse_xfer_status(const uint8_t *data, size_t size,
			  struct vdp_xfer_status_msg *out);

struct vdp_xfer_data {
	uint32_t id;
	uint64_t size;       /* == bytes at data */
	const uint8_t *data; /* into the payload */
};

/* 12-byte header whose size field equals the bytes that follow. */
int vdp_parse_xfer_data(const uint8_t *data, size_t size,
			struct vdp_xfer_data *out);

/* ---- CLIENT_DISCONNECTED: empty ----------------------------------------- */

int vdp_parse_client_disconnected(const uint8_t *data, size_t size);

/* ---- AUDIO_VOLUME_SYNC -------------------------------------------------- */

struct vdp_volume_sync {
	bool is_playback; /* false: record */
	bool mute;
	uint8_t nchannels;
	uint16_t volume[VDP_VOLUME_CHANNELS_MAX];
};

/* size must be 3 + 2*nchannels. */
int vdp_parse_volume_sync(const uint8_t *data, size_t size,
			  struct vdp_volume_sync *out);

/* ---- GRAPHICS_DEVICE_INFO ----------------------------------------------- */

struct vdp_device_display {
	uint32_t channel_id;
	uint32_t monitor_id;
	uint32_t device_display_id;
	/* NUL-terminated, into the payload; at most
	 * VDP_DEVICE_ADDRESS_MAX - 1 characters */
	const char *address;
};

struct vdp_graphics_device_info {
	uint32_t count; /* 0..VDP_DEVICE_DISPLAYS_MAX, else -E2BIG */
	struct vdp_device_display entry[VDP_DEVICE_DISPLAYS_MAX];
};

/* Every entry's device_address_len is 1..VDP_DEVICE_ADDRESS_MAX (-E2BIG
 * above) and its address ends with its only NUL (-EILSEQ); the entries
 * fill the payload exactly (-EBADMSG). */
int vdp_parse_graphics_device_info(const uint8_t *data, size_t size,
				   struct vdp_graphics_device_info *out);

/* ---- any message -------------------------------------------------------- */

/* Run the validator of type on the payload, discarding the view.  Unknown
 * type: -EOPNOTSUPP. */
int vdp_validate_message(uint32_t type, const uint8_t *data, size_t size,
			 const struct vdp_caps *negotiated);

/* 0 if len bytes at s are valid UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF), else -EILSEQ.  NUL bytes are valid here. */
int vdp_check_utf8(const uint8_t *s, size_t len);

/* The length (1..4) of the valid UTF-8 sequence at s, of which left bytes
 * are there, with its code point in *cp; 0 when it is not one (by the
 * rules of vdp_check_utf8). */
size_t vdp_utf8_next(const uint8_t *s, size_t left, uint32_t *cp);

/* ---- names for logs and the dump tool ------------------------------------
 * Each returns a static string: the protocol's name without prefix
 * (e.g. "MONITORS_CONFIG", "UTF8_TEXT", "PRIMARY", "CAN_SEND_DATA"), or
 * "UNKNOWN" for a value outside the known range.  Never NULL.
 */
const char *vdp_message_type_name(uint32_t type);
const char *vdp_clipboard_type_name(uint32_t type);
const char *vdp_selection_name(uint32_t selection);
const char *vdp_xfer_status_name(uint32_t status);
const char *vdp_reply_error_name(uint32_t error);
