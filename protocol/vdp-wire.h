/* SPDX-License-Identifier: MIT */
/*
 * The SPICE agent wire protocol, as it travels on the virtio-serial port.
 *
 * Every struct here is the exact byte layout on the wire: packed, all
 * integers little-endian.  Code must never dereference these structs on
 * untrusted input directly; use the validators in vdp-validate.h, which
 * check sizes and return host-endian views.  The layouts exist so that
 * sizeof/offsetof document the format, and so that tests/unit/test-abi.c
 * can prove them identical to spice-protocol's <spice/vd_agent.h>.
 */
#pragma once

#include <stdint.h>

#define VDP_PACKED __attribute__((packed))

/* ---- framing ----------------------------------------------------------- */

enum vdp_port {
	VDP_PORT_CLIENT = 1,
	VDP_PORT_SERVER = 2,
};

/* Largest payload of one chunk. */
#define VDP_CHUNK_MAX_DATA 2048u

struct VDP_PACKED vdp_chunk_header {
	uint32_t port;
	uint32_t size;
};

#define VDP_PROTOCOL_VERSION 1u

struct VDP_PACKED vdp_message_header {
	uint32_t protocol;
	uint32_t type;
	uint64_t opaque;
	uint32_t size;
};

enum vdp_message_type {
	VDP_MSG_MOUSE_STATE = 1,
	VDP_MSG_MONITORS_CONFIG = 2,
	VDP_MSG_REPLY = 3,
	VDP_MSG_CLIPBOARD = 4,
	VDP_MSG_DISPLAY_CONFIG = 5,
	VDP_MSG_ANNOUNCE_CAPABILITIES = 6,
	VDP_MSG_CLIPBOARD_GRAB = 7,
	VDP_MSG_CLIPBOARD_REQUEST = 8,
	VDP_MSG_CLIPBOARD_RELEASE = 9,
	VDP_MSG_FILE_XFER_START = 10,
	VDP_MSG_FILE_XFER_STATUS = 11,
	VDP_MSG_FILE_XFER_DATA = 12,
	VDP_MSG_CLIENT_DISCONNECTED = 13,
	VDP_MSG_MAX_CLIPBOARD = 14,
	VDP_MSG_AUDIO_VOLUME_SYNC = 15,
	VDP_MSG_GRAPHICS_DEVICE_INFO = 16,
	VDP_MSG_END = 17, /* one past the last known type */
};

/* ---- capabilities (bit index into an array of u32 words) --------------- */

enum vdp_cap {
	VDP_CAP_MOUSE_STATE = 0,
	VDP_CAP_MONITORS_CONFIG = 1,
	VDP_CAP_REPLY = 2,
	VDP_CAP_CLIPBOARD = 3,
	VDP_CAP_DISPLAY_CONFIG = 4,
	VDP_CAP_CLIPBOARD_BY_DEMAND = 5,
	VDP_CAP_CLIPBOARD_SELECTION = 6,
	VDP_CAP_SPARSE_MONITORS_CONFIG = 7,
	VDP_CAP_GUEST_LINEEND_LF = 8,
	VDP_CAP_GUEST_LINEEND_CRLF = 9,
	VDP_CAP_MAX_CLIPBOARD = 10,
	VDP_CAP_AUDIO_VOLUME_SYNC = 11,
	VDP_CAP_MONITORS_CONFIG_POSITION = 12,
	VDP_CAP_FILE_XFER_DISABLED = 13,
	VDP_CAP_FILE_XFER_DETAILED_ERRORS = 14,
	VDP_CAP_GRAPHICS_DEVICE_INFO = 15,
	VDP_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB = 16,
	VDP_CAP_CLIPBOARD_GRAB_SERIAL = 17,
	VDP_CAP_END = 18, /* one past the last known capability */
};

struct VDP_PACKED vdp_announce_capabilities {
	uint32_t request; /* non-zero: the peer must answer with its own */
	/* uint32_t caps[]: at least one word */
};

/* ---- MOUSE_STATE (server -> agent) ------------------------------------- */

enum vdp_button_mask {
	VDP_BUTTON_LEFT = 1u << 1,
	VDP_BUTTON_MIDDLE = 1u << 2,
	VDP_BUTTON_RIGHT = 1u << 3,
	VDP_BUTTON_UP = 1u << 4,   /* wheel up */
	VDP_BUTTON_DOWN = 1u << 5, /* wheel down */
	VDP_BUTTON_SIDE = 1u << 6,
	VDP_BUTTON_EXTRA = 1u << 7,
};

struct VDP_PACKED vdp_mouse_state_wire {
	uint32_t x;
	uint32_t y;
	uint32_t buttons;
	uint8_t display_id;
};

/* ---- MONITORS_CONFIG (client -> agent) --------------------------------- */

enum vdp_monitors_flag {
	VDP_MONITORS_FLAG_USE_POS = 1u << 0,
	VDP_MONITORS_FLAG_PHYSICAL_SIZE = 1u << 1,
};

struct VDP_PACKED vdp_mon_config_wire {
	uint32_t height;
	uint32_t width;
	uint32_t depth;
	int32_t x;
	int32_t y;
};

struct VDP_PACKED vdp_monitors_config_wire {
	uint32_t num_of_monitors;
	uint32_t flags;
	/* struct vdp_mon_config_wire monitors[num_of_monitors]; */
	/* with PHYSICAL_SIZE: struct vdp_monitor_mm_wire mm[num_of_monitors]; */
};

struct VDP_PACKED vdp_monitor_mm_wire {
	uint16_t height;
	uint16_t width;
};

/* ---- REPLY (agent -> client) ------------------------------------------- */

enum vdp_reply_error {
	VDP_REPLY_SUCCESS = 1,
	VDP_REPLY_ERROR = 2,
};

struct VDP_PACKED vdp_reply_wire {
	uint32_t type;  /* the message type being answered */
	uint32_t error; /* enum vdp_reply_error */
};

/* ---- DISPLAY_CONFIG (client -> agent) ---------------------------------- */

enum vdp_display_config_flag {
	VDP_DISPLAY_FLAG_DISABLE_WALLPAPER = 1u << 0,
	VDP_DISPLAY_FLAG_DISABLE_FONT_SMOOTH = 1u << 1,
	VDP_DISPLAY_FLAG_DISABLE_ANIMATION = 1u << 2,
	VDP_DISPLAY_FLAG_SET_COLOR_DEPTH = 1u << 3,
};

struct VDP_PACKED vdp_display_config_wire {
	uint32_t flags;
	uint32_t depth;
};

/* ---- clipboard ---------------------------------------------------------- */

enum vdp_clipboard_type {
	VDP_CLIPBOARD_NONE = 0,
	VDP_CLIPBOARD_UTF8_TEXT = 1,
	VDP_CLIPBOARD_IMAGE_PNG = 2,
	VDP_CLIPBOARD_IMAGE_BMP = 3,
	VDP_CLIPBOARD_IMAGE_TIFF = 4,
	VDP_CLIPBOARD_IMAGE_JPG = 5,
	VDP_CLIPBOARD_FILE_LIST = 6,
	VDP_CLIPBOARD_TYPE_END = 7,
};

enum vdp_selection {
	VDP_SELECTION_CLIPBOARD = 0,
	VDP_SELECTION_PRIMARY = 1,
	VDP_SELECTION_SECONDARY = 2,
	VDP_SELECTION_END = 3,
};

/*
 * With VDP_CAP_CLIPBOARD_SELECTION negotiated by both sides, every clipboard
 * message (GRAB, REQUEST, CLIPBOARD, RELEASE) starts with this prefix.
 */
struct VDP_PACKED vdp_selection_prefix_wire {
	uint8_t selection;
	uint8_t reserved[3];
};

/* CLIPBOARD: [prefix] type, data[] */
struct VDP_PACKED vdp_clipboard_wire {
	uint32_t type;
};

/* CLIPBOARD_GRAB: [prefix] [u32 serial with GRAB_SERIAL] types[] */
/* CLIPBOARD_REQUEST: [prefix] type */
struct VDP_PACKED vdp_clipboard_request_wire {
	uint32_t type;
};
/* CLIPBOARD_RELEASE: [prefix] only */

struct VDP_PACKED vdp_max_clipboard_wire {
	int32_t max; /* bytes; <= 0 or absent: no limit */
};

/* ---- file transfer (client -> agent, status both ways) ----------------- */

enum vdp_xfer_status {
	VDP_XFER_STATUS_CAN_SEND_DATA = 0,
	VDP_XFER_STATUS_CANCELLED = 1,
	VDP_XFER_STATUS_ERROR = 2,
	VDP_XFER_STATUS_SUCCESS = 3,
	VDP_XFER_STATUS_NOT_ENOUGH_SPACE = 4,
	VDP_XFER_STATUS_SESSION_LOCKED = 5,
	VDP_XFER_STATUS_VDAGENT_NOT_CONNECTED = 6,
	VDP_XFER_STATUS_DISABLED = 7,
	VDP_XFER_STATUS_END = 8,
};

/* error_type of the ERROR detail: error_code is a GIOErrorEnum value */
#define VDP_XFER_ERROR_GLIB_IO 0u

struct VDP_PACKED vdp_xfer_start_wire {
	uint32_t id;
	/* UTF-8 key file text: [vdagent-file-xfer] name=... size=... */
};

struct VDP_PACKED vdp_xfer_status_wire {
	uint32_t id;
	uint32_t result; /* enum vdp_xfer_status */
	/* detail, with FILE_XFER_DETAILED_ERRORS: */
	/*   ERROR: struct vdp_xfer_error_wire */
	/*   NOT_ENOUGH_SPACE: struct vdp_xfer_no_space_wire */
};

struct VDP_PACKED vdp_xfer_error_wire {
	uint8_t error_type;
	uint32_t error_code;
};

struct VDP_PACKED vdp_xfer_no_space_wire {
	uint64_t disk_free_space;
};

struct VDP_PACKED vdp_xfer_data_wire {
	uint32_t id;
	uint64_t size; /* must equal the bytes that follow */
};

/* ---- AUDIO_VOLUME_SYNC (client -> agent) ------------------------------- */

struct VDP_PACKED vdp_volume_sync_wire {
	uint8_t is_playback;
	uint8_t mute;
	uint8_t nchannels;
	/* uint16_t volume[nchannels]; */
};

/* ---- GRAPHICS_DEVICE_INFO (client -> agent) ---------------------------- */

struct VDP_PACKED vdp_device_display_info_wire {
	uint32_t channel_id;
	uint32_t monitor_id;
	uint32_t device_display_id;
	uint32_t device_address_len; /* includes the terminating NUL */
	/* char device_address[device_address_len]; */
};

struct VDP_PACKED vdp_graphics_device_info_wire {
	uint32_t count;
	/* count x (struct vdp_device_display_info_wire + address) */
};

_Static_assert(sizeof(struct vdp_chunk_header) == 8, "chunk header");
_Static_assert(sizeof(struct vdp_message_header) == 20, "message header");
_Static_assert(sizeof(struct vdp_mon_config_wire) == 20, "mon config");
_Static_assert(sizeof(struct vdp_mouse_state_wire) == 13, "mouse state");
