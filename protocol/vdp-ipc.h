/* SPDX-License-Identifier: MIT */
/*
 * The daemon <-> session agent IPC: vdagentd and each per-session vdagent
 * talk over a local stream socket (a unix socket on Linux, a pipe on
 * Windows).  This header is the documentation of that protocol.
 *
 * Framing
 *   Every message is an 8-byte header followed by `size` payload bytes:
 *
 *     struct vdp_ipc_header_wire { u32 type; u32 size; }
 *
 *   All integers on the IPC are little-endian, structs packed, no padding.
 *   Each type has a fixed maximum payload size (vdp_ipc_max_payload()) and a
 *   set of senders allowed to send it (vdp_ipc_type_allowed()).  A receiver
 *   treats an unknown type, a type its peer may not send, or a size over the
 *   type's maximum as a protocol violation and closes the connection: it
 *   never buffers more than the maximum of the declared type, so a hostile
 *   local user cannot make the daemon allocate more than that.
 *
 * Session
 *   1. The agent connects and sends HELLO {version, flags, description}.
 *      The daemon sends nothing before it; it answers with its own HELLO
 *      {version, 0, daemon version string}.  A peer whose version differs
 *      from VDP_IPC_VERSION is disconnected (HELLO's layout never changes).
 *      A later HELLO from the agent updates its flags.  New messages are
 *      negotiated with HELLO flags, never with the version: a peer sends a
 *      type the other side may not know only when that side's HELLO has
 *      the matching flag (an unknown type closes the connection).
 *   2. The agent sends SCREEN_LAYOUT as soon as it knows its screen and
 *      again after every change.  The daemon uses it for mouse coordinates
 *      (absolute position = display x/y + client position; clamped to the
 *      desktop).
 *   3. The daemon sends CLIENT_CAPS whenever a client has announced its
 *      capabilities (including right after HELLO if one is connected), the
 *      client's MONITORS_CONFIG (the last one is replayed to a new agent),
 *      GRAPHICS_DEVICE_INFO and AUDIO_VOLUME_SYNC verbatim, and
 *      CLIENT_DISCONNECTED when the client goes away.
 *   4. Clipboard messages flow both ways and always carry the selection,
 *      whatever the client negotiated: the daemon converts to and from the
 *      agent protocol (selection prefix, grab serial, dropping selections
 *      the client cannot handle, filtering clipboard types it does not know).
 *   5. File transfers: the daemon sends FILE_XFER_START/DATA, the agent
 *      answers FILE_XFER_STATUS; the daemon may send FILE_XFER_STATUS to
 *      cancel (client cancelled, client disconnected).
 *   6. Monitors results: when both HELLOs carry VDP_IPC_HELLO_MONITORS_RESULT
 *      the agent answers every MONITORS_CONFIG it receives on the
 *      connection (replays included) with one MONITORS_RESULT, once the
 *      display server has accepted or refused it.  Both sides number the
 *      MONITORS_CONFIG messages of a connection 1, 2, 3, ... (0 is
 *      skipped on wrap-around); the result names that number, so a late
 *      answer to an older config is recognised.  The daemon holds the
 *      client's REPLY until the result comes (or a timeout).
 *   Only the active session's agent receives clipboard, file and monitor
 *   traffic; who is active comes from the kernel (peer credentials) and
 *   logind, never from anything on this socket.
 *
 * Payloads (offsets in bytes; "A->D" agent to daemon, "D->A" the reverse)
 *
 *   HELLO (both)                       8 .. 8 + VDP_IPC_HELLO_TEXT_MAX
 *     0 u32 version    VDP_IPC_VERSION
 *     4 u32 flags      agent: VDP_IPC_HELLO_FILE_XFER_DISABLED,
 *                      VDP_IPC_HELLO_MONITORS_RESULT (it will answer);
 *                      daemon: VDP_IPC_HELLO_MONITORS_RESULT (it accepts
 *                      MONITORS_RESULT); unknown bits are ignored
 *     8 text[]         agent description / daemon version: UTF-8, no
 *                      control characters, no NUL, may be empty
 *
 *   SCREEN_LAYOUT (A->D)               12 + count * 20, count <= 64
 *     0 u32 width      desktop size, 1..VDP_IPC_MAX_DIMENSION
 *     4 u32 height
 *     8 u32 count      number of displays, 0..VDP_IPC_MAX_DISPLAYS
 *    12 count x { u32 display_id; i32 x; i32 y; u32 width; u32 height }
 *                      display_id unique (the client's monitor index),
 *                      width/height 1..VDP_IPC_MAX_DIMENSION,
 *                      |x|, |y| <= VDP_IPC_MAX_DIMENSION
 *
 *   MONITORS_CONFIG (D->A)             <= VDP_IPC_FORWARD_MAX
 *   GRAPHICS_DEVICE_INFO (D->A)        <= VDP_IPC_FORWARD_MAX
 *   AUDIO_VOLUME_SYNC (D->A)           <= VDP_IPC_VOLUME_MAX
 *     The agent-protocol message payload exactly as the client sent it
 *     (after the daemon validated it); the agent validates it again with
 *     vdp-validate.h.  The daemon drops one that exceeds the IPC limit.
 *
 *   CLIENT_CAPS (D->A)                 8 + nwords * 4, nwords 1..16
 *     0 i32 max_clipboard   the client's MAX_CLIPBOARD (<= 0: no limit);
 *                           the agent sends no CLIPBOARD_DATA larger
 *     4 u32 nwords
 *     8 u32 caps[nwords]    capabilities both the client and the daemon
 *                           announced (enum vdp_cap bits)
 *
 *   CLIPBOARD_GRAB (both)              8 + count * 4, count <= 64
 *     0 u8 selection        enum vdp_selection (< VDP_SELECTION_END)
 *     1 u8 reserved[3]      zero
 *     4 u32 count
 *     8 u32 types[count]    enum vdp_clipboard_type, each 1..END-1,
 *                           no duplicates; count 0 is a valid (empty) grab
 *
 *   CLIPBOARD_REQUEST (both)           8
 *     0 u8 selection, u8 reserved[3]
 *     4 u32 type            1..VDP_CLIPBOARD_TYPE_END-1
 *
 *   CLIPBOARD_DATA (both)              8 .. 8 + VDP_IPC_CLIPBOARD_DATA_MAX
 *     0 u8 selection, u8 reserved[3]
 *     4 u32 type            the requested type, or VDP_CLIPBOARD_NONE with
 *                           no data: the request cannot be served
 *     8 data[]
 *
 *   CLIPBOARD_RELEASE (both)           4
 *     0 u8 selection, u8 reserved[3]
 *
 *   FILE_XFER_START (D->A)             4 .. 4 + VDP_IPC_XFER_START_TEXT_MAX
 *     0 u32 id
 *     4 text[]              the client's key file text ("[vdagent-file-xfer]
 *                           name=... size=..."), UTF-8, no NUL
 *
 *   FILE_XFER_DATA (D->A)              4 .. 4 + VDP_IPC_XFER_DATA_MAX
 *     0 u32 id
 *     4 data[]
 *
 *   FILE_XFER_STATUS (both)            8 .. 8 + VDP_IPC_XFER_DETAIL_MAX
 *     0 u32 id
 *     4 u32 result          enum vdp_xfer_status (< VDP_XFER_STATUS_END)
 *     8 detail[]            the agent-protocol detail: empty, or exactly a
 *                           struct vdp_xfer_error_wire (5 bytes) with
 *                           result ERROR, or a struct vdp_xfer_no_space_wire
 *                           (8 bytes) with NOT_ENOUGH_SPACE.  The daemon
 *                           drops it unless FILE_XFER_DETAILED_ERRORS was
 *                           negotiated.
 *
 *   CLIENT_DISCONNECTED (D->A)         0
 *
 *   MONITORS_RESULT (A->D)             8
 *     0 u32 serial          the number of the MONITORS_CONFIG answered
 *                           (see 6. above), never 0
 *     4 u32 result          VDP_REPLY_SUCCESS (applied) or
 *                           VDP_REPLY_ERROR (refused, not fully applied,
 *                           or this session cannot configure monitors)
 *
 * Building and parsing
 *   The vdp_ipc_build_* functions write a payload (or its fixed head, when
 *   bulk data follows as a separate piece) little-endian into a caller
 *   buffer; vdp_ipc_encode() then frames it without copying the pieces.
 *   The vdp_ipc_parse_* functions check a received payload completely and
 *   fill a host-endian view; pointers in the view point into the payload,
 *   nothing is allocated.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdp-caps.h"
#include "vdp-encoder.h" /* struct vdp_iov */
#include "vdp-wire.h"

#define VDP_IPC_VERSION 1u

/* ---- message types ----------------------------------------------------- */

enum vdp_ipc_type {
	VDP_IPC_HELLO = 1,
	VDP_IPC_SCREEN_LAYOUT = 2,
	VDP_IPC_MONITORS_CONFIG = 3,
	VDP_IPC_GRAPHICS_DEVICE_INFO = 4,
	VDP_IPC_AUDIO_VOLUME_SYNC = 5,
	VDP_IPC_CLIENT_CAPS = 6,
	VDP_IPC_CLIPBOARD_GRAB = 7,
	VDP_IPC_CLIPBOARD_REQUEST = 8,
	VDP_IPC_CLIPBOARD_DATA = 9,
	VDP_IPC_CLIPBOARD_RELEASE = 10,
	VDP_IPC_FILE_XFER_START = 11,
	VDP_IPC_FILE_XFER_DATA = 12,
	VDP_IPC_FILE_XFER_STATUS = 13,
	VDP_IPC_CLIENT_DISCONNECTED = 14,
	VDP_IPC_MONITORS_RESULT = 15,
	VDP_IPC_TYPE_END = 16, /* one past the last known type */
};

/* Who sent a message: a decoder accepts only the types its peer may send. */
enum vdp_ipc_sender {
	VDP_IPC_FROM_AGENT = 1,
	VDP_IPC_FROM_DAEMON = 2,
};

/* ---- sizes and limits -------------------------------------------------- */

#define VDP_IPC_HEADER_SIZE 8u

#define VDP_IPC_HELLO_HEAD_SIZE 8u
#define VDP_IPC_HELLO_TEXT_MAX 256u
#define VDP_IPC_HELLO_FILE_XFER_DISABLED (1u << 0)
#define VDP_IPC_HELLO_MONITORS_RESULT (1u << 1)

#define VDP_IPC_MAX_DISPLAYS 64u
#define VDP_IPC_MAX_DIMENSION 65535
#define VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE 12u
#define VDP_IPC_DISPLAY_SIZE 20u
#define VDP_IPC_SCREEN_LAYOUT_MAX \
	(VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE + \
	 VDP_IPC_MAX_DISPLAYS * VDP_IPC_DISPLAY_SIZE)

#define VDP_IPC_FORWARD_MAX (64u * 1024)
#define VDP_IPC_VOLUME_MAX 1024u

#define VDP_IPC_CLIENT_CAPS_HEAD_SIZE 8u
#define VDP_IPC_MAX_CAP_WORDS 16u
#define VDP_IPC_CLIENT_CAPS_MAX \
	(VDP_IPC_CLIENT_CAPS_HEAD_SIZE + VDP_IPC_MAX_CAP_WORDS * 4)

#define VDP_IPC_SELECTION_SIZE 4u /* u8 selection + 3 reserved */
#define VDP_IPC_MAX_CLIPBOARD_TYPES 64u
#define VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE 8u
#define VDP_IPC_CLIPBOARD_GRAB_MAX \
	(VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE + VDP_IPC_MAX_CLIPBOARD_TYPES * 4)
#define VDP_IPC_CLIPBOARD_REQUEST_SIZE 8u
#define VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE 8u
#define VDP_IPC_CLIPBOARD_DATA_MAX (256u * 1024 * 1024)
#define VDP_IPC_CLIPBOARD_RELEASE_SIZE 4u

#define VDP_IPC_XFER_START_HEAD_SIZE 4u
#define VDP_IPC_XFER_START_TEXT_MAX (64u * 1024)
#define VDP_IPC_XFER_DATA_HEAD_SIZE 4u
#define VDP_IPC_XFER_DATA_MAX (1024u * 1024)
#define VDP_IPC_XFER_STATUS_HEAD_SIZE 8u
#define VDP_IPC_XFER_DETAIL_MAX 16u
#define VDP_IPC_XFER_STATUS_MAX \
	(VDP_IPC_XFER_STATUS_HEAD_SIZE + VDP_IPC_XFER_DETAIL_MAX)

#define VDP_IPC_MONITORS_RESULT_SIZE 8u

/* ---- wire layouts (documentation; never dereference on input) ---------- */

struct VDP_PACKED vdp_ipc_header_wire {
	uint32_t type;
	uint32_t size;
};

struct VDP_PACKED vdp_ipc_hello_wire {
	uint32_t version;
	uint32_t flags;
	/* char text[]; */
};

struct VDP_PACKED vdp_ipc_display_wire {
	uint32_t display_id;
	int32_t x;
	int32_t y;
	uint32_t width;
	uint32_t height;
};

struct VDP_PACKED vdp_ipc_screen_layout_wire {
	uint32_t width;
	uint32_t height;
	uint32_t count;
	/* struct vdp_ipc_display_wire displays[count]; */
};

struct VDP_PACKED vdp_ipc_client_caps_wire {
	int32_t max_clipboard;
	uint32_t nwords;
	/* uint32_t caps[nwords]; */
};

struct VDP_PACKED vdp_ipc_selection_wire {
	uint8_t selection;
	uint8_t reserved[3];
};

struct VDP_PACKED vdp_ipc_clipboard_grab_wire {
	struct vdp_ipc_selection_wire sel;
	uint32_t count;
	/* uint32_t types[count]; */
};

struct VDP_PACKED vdp_ipc_clipboard_request_wire {
	struct vdp_ipc_selection_wire sel;
	uint32_t type;
};

struct VDP_PACKED vdp_ipc_clipboard_data_wire {
	struct vdp_ipc_selection_wire sel;
	uint32_t type;
	/* uint8_t data[]; */
};

struct VDP_PACKED vdp_ipc_xfer_start_wire {
	uint32_t id;
	/* char text[]; */
};

struct VDP_PACKED vdp_ipc_xfer_data_wire {
	uint32_t id;
	/* uint8_t data[]; */
};

struct VDP_PACKED vdp_ipc_xfer_status_wire {
	uint32_t id;
	uint32_t result;
	/* uint8_t detail[]; */
};

struct VDP_PACKED vdp_ipc_monitors_result_wire {
	uint32_t serial;
	uint32_t result;
};

_Static_assert(sizeof(struct vdp_ipc_header_wire) == VDP_IPC_HEADER_SIZE,
	       "ipc header");
_Static_assert(sizeof(struct vdp_ipc_hello_wire) == VDP_IPC_HELLO_HEAD_SIZE,
	       "ipc hello");
_Static_assert(sizeof(struct vdp_ipc_display_wire) == VDP_IPC_DISPLAY_SIZE,
	       "ipc display");
_Static_assert(sizeof(struct vdp_ipc_screen_layout_wire) ==
		       VDP_IPC_SCREEN_LAYOUT_HEAD_SIZE,
	       "ipc screen layout");
_Static_assert(sizeof(struct vdp_ipc_client_caps_wire) ==
		       VDP_IPC_CLIENT_CAPS_HEAD_SIZE,
	       "ipc client caps");
_Static_assert(sizeof(struct vdp_ipc_clipboard_grab_wire) ==
		       VDP_IPC_CLIPBOARD_GRAB_HEAD_SIZE,
	       "ipc grab");
_Static_assert(sizeof(struct vdp_ipc_clipboard_request_wire) ==
		       VDP_IPC_CLIPBOARD_REQUEST_SIZE,
	       "ipc request");
_Static_assert(sizeof(struct vdp_ipc_clipboard_data_wire) ==
		       VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE,
	       "ipc data");
_Static_assert(sizeof(struct vdp_ipc_xfer_status_wire) ==
		       VDP_IPC_XFER_STATUS_HEAD_SIZE,
	       "ipc xfer status");
_Static_assert(sizeof(struct vdp_ipc_monitors_result_wire) ==
		       VDP_IPC_MONITORS_RESULT_SIZE,
	       "ipc monitors result");

/* ---- types ------------------------------------------------------------- */

/* "HELLO", "CLIPBOARD_GRAB", ...; "UNKNOWN" for anything else. */
const char *vdp_ipc_type_name(uint32_t type);
bool vdp_ipc_type_known(uint32_t type);
/* May `from` send this type?  False for unknown types. */
bool vdp_ipc_type_allowed(uint32_t type, enum vdp_ipc_sender from);
/* Largest payload of a type; 0 for an unknown type (and for the types
 * whose payload is empty: check vdp_ipc_type_known() first). */
uint32_t vdp_ipc_max_payload(uint32_t type);

/* ---- decoder ----------------------------------------------------------- */
/*
 * Socket bytes in, whole messages out; the same rules as vdp-decoder.h:
 * feed slices of any size; memory grows only as payload bytes arrive (never
 * in proportion to a declared size); an unknown type, a type the peer may
 * not send, or a size over the type's limit is refused as soon as the
 * header is complete, before any payload is buffered.  After an error the
 * decoder is broken until vdp_ipc_decoder_reset().
 */

enum vdp_ipc_status {
	VDP_IPC_OK = 0,
	VDP_IPC_ERR_TYPE = -1,    /* unknown type, or not from this sender */
	VDP_IPC_ERR_SIZE = -2,    /* payload larger than the type's limit */
	VDP_IPC_ERR_NOMEM = -3,   /* allocation failed */
	VDP_IPC_ERR_BROKEN = -4,  /* an earlier error; reset first */
	VDP_IPC_ERR_STOPPED = -5, /* the callback asked to stop */
};

/* A decoded message.  data is owned by the decoder and valid only during
 * the callback (see vdp_ipc_decoder_steal_data); never NULL. */
struct vdp_ipc_message {
	uint32_t type;
	uint32_t size;
	const uint8_t *data;
};

struct vdp_ipc_decoder;

/* Called once per complete message.  Return 0 to go on, non-zero to make
 * vdp_ipc_decoder_feed() return VDP_IPC_ERR_STOPPED at once (the decoder is
 * then broken; bytes not consumed yet are lost). */
typedef int (*vdp_ipc_message_cb)(void *user,
				  const struct vdp_ipc_message *msg);

/* from: who is on the other end (the daemon decodes VDP_IPC_FROM_AGENT). */
struct vdp_ipc_decoder *vdp_ipc_decoder_new(enum vdp_ipc_sender from);
void vdp_ipc_decoder_free(struct vdp_ipc_decoder *d);
void vdp_ipc_decoder_reset(struct vdp_ipc_decoder *d);

/* Lower the payload limit of one type (e.g. CLIPBOARD_DATA to the client's
 * max_clipboard + 8).  Returns 0, or -EINVAL for an unknown type or a max
 * above vdp_ipc_max_payload(type).  Kept across reset. */
int vdp_ipc_decoder_set_limit(struct vdp_ipc_decoder *d, uint32_t type,
			      uint32_t max);

/* Feed len bytes.  Returns VDP_IPC_OK or a negative enum vdp_ipc_status. */
int vdp_ipc_decoder_feed(struct vdp_ipc_decoder *d, const void *buf,
			 size_t len, vdp_ipc_message_cb cb, void *user);

/* From inside the callback only: take ownership of msg->data (a malloc'd
 * buffer of msg->size bytes, never NULL) so that a large payload is passed
 * on without a copy.  Views parsed from it stay valid.  The caller frees. */
uint8_t *vdp_ipc_decoder_steal_data(struct vdp_ipc_decoder *d);

/* True while a message is partially received. */
bool vdp_ipc_decoder_mid_message(const struct vdp_ipc_decoder *d);

const char *vdp_ipc_strerror(int status);

/* ---- encoder ----------------------------------------------------------- */

/* Payload pieces per message, and iov entries per encoded message. */
#define VDP_IPC_MAX_PIECES 4
#define VDP_IPC_MAX_IOV (1 + VDP_IPC_MAX_PIECES)

/*
 * Frame one message: write its header into hdr and fill out[] with hdr
 * followed by the non-empty payload pieces (never copied), ready for
 * writev()/WriteFile.  Returns the number of entries used (>= 1), or
 * -EINVAL for an unknown type, npieces outside 0..VDP_IPC_MAX_PIECES, or a
 * payload over the type's limit.  out[] stays valid while hdr and the
 * pieces do.
 */
int vdp_ipc_encode(uint8_t hdr[VDP_IPC_HEADER_SIZE], uint32_t type,
		   const struct vdp_iov *pieces, int npieces,
		   struct vdp_iov out[VDP_IPC_MAX_IOV]);

/* Total bytes of an iov list (header included). */
size_t vdp_ipc_iov_len(const struct vdp_iov *iov, int n);

/* For tests and tools: append the framed message to a growing malloc'd
 * buffer (*buf, *len).  Returns 0 or negative errno. */
int vdp_ipc_encode_append(uint8_t **buf, size_t *len, uint32_t type,
			  const struct vdp_iov *pieces, int npieces);

/* ---- payload views (host-endian) ---------------------------------------- */

struct vdp_ipc_hello {
	uint32_t version;
	uint32_t flags;
	const char *text; /* not NUL-terminated; text_len bytes */
	uint32_t text_len;
};

struct vdp_ipc_display {
	uint32_t display_id;
	int32_t x;
	int32_t y;
	uint32_t width;
	uint32_t height;
};

struct vdp_ipc_screen_layout {
	uint32_t width;
	uint32_t height;
	uint32_t count;
	struct vdp_ipc_display displays[VDP_IPC_MAX_DISPLAYS];
};

struct vdp_ipc_client_caps {
	struct vdp_caps caps; /* bits we do not know dropped */
	int32_t max_clipboard;
};

struct vdp_ipc_clipboard_grab {
	uint8_t selection;
	uint32_t count;
	uint32_t types[VDP_IPC_MAX_CLIPBOARD_TYPES];
};

struct vdp_ipc_clipboard_request {
	uint8_t selection;
	uint32_t type;
};

struct vdp_ipc_clipboard_data {
	uint8_t selection;
	uint32_t type;
	const uint8_t *data;
	uint32_t size;
};

struct vdp_ipc_clipboard_release {
	uint8_t selection;
};

struct vdp_ipc_xfer_start {
	uint32_t id;
	const char *text; /* not NUL-terminated; text_len bytes */
	uint32_t text_len;
};

struct vdp_ipc_xfer_data {
	uint32_t id;
	const uint8_t *data;
	uint32_t size;
};

struct vdp_ipc_xfer_status {
	uint32_t id;
	uint32_t result; /* enum vdp_xfer_status */
	const uint8_t *detail;
	uint32_t detail_len;
};

struct vdp_ipc_monitors_result {
	uint32_t serial; /* >= 1 */
	uint32_t result; /* VDP_REPLY_SUCCESS or VDP_REPLY_ERROR */
};

/* ---- payload parsers --------------------------------------------------- */
/* Each checks the whole payload (p, size) and fills *out.  Returns 0, or
 * -EINVAL for a malformed payload (*out is then unspecified). */

int vdp_ipc_parse_hello(const void *p, size_t size, struct vdp_ipc_hello *out);
int vdp_ipc_parse_screen_layout(const void *p, size_t size,
				struct vdp_ipc_screen_layout *out);
int vdp_ipc_parse_client_caps(const void *p, size_t size,
			      struct vdp_ipc_client_caps *out);
int vdp_ipc_parse_clipboard_grab(const void *p, size_t size,
				 struct vdp_ipc_clipboard_grab *out);
int vdp_ipc_parse_clipboard_request(const void *p, size_t size,
				    struct vdp_ipc_clipboard_request *out);
int vdp_ipc_parse_clipboard_data(const void *p, size_t size,
				 struct vdp_ipc_clipboard_data *out);
int vdp_ipc_parse_clipboard_release(const void *p, size_t size,
				    struct vdp_ipc_clipboard_release *out);
int vdp_ipc_parse_xfer_start(const void *p, size_t size,
			     struct vdp_ipc_xfer_start *out);
int vdp_ipc_parse_xfer_data(const void *p, size_t size,
			    struct vdp_ipc_xfer_data *out);
int vdp_ipc_parse_xfer_status(const void *p, size_t size,
			      struct vdp_ipc_xfer_status *out);
int vdp_ipc_parse_monitors_result(const void *p, size_t size,
				  struct vdp_ipc_monitors_result *out);
/* CLIENT_DISCONNECTED: 0 when size is 0. */
int vdp_ipc_parse_empty(const void *p, size_t size);
/* MONITORS_CONFIG, GRAPHICS_DEVICE_INFO, AUDIO_VOLUME_SYNC need no IPC
 * parser: pass the payload to the matching vdp-validate.h function. */

/* ---- payload builders -------------------------------------------------- */
/* Each writes little-endian bytes to out and returns the number written,
 * or -EINVAL for a value the parser would refuse, or -ENOSPC when out_size
 * is too small.  "head" builders write only the fixed part: the bulk data
 * (text, clipboard or file data) goes as the next vdp_iov piece. */

/* HELLO head (VDP_IPC_HELLO_HEAD_SIZE); the text is the next piece. */
int vdp_ipc_build_hello_head(uint8_t *out, size_t out_size, uint32_t version,
			     uint32_t flags);
/* Whole SCREEN_LAYOUT (<= VDP_IPC_SCREEN_LAYOUT_MAX bytes). */
int vdp_ipc_build_screen_layout(uint8_t *out, size_t out_size,
				const struct vdp_ipc_screen_layout *layout);
/* Whole CLIENT_CAPS (<= VDP_IPC_CLIENT_CAPS_MAX bytes). */
int vdp_ipc_build_client_caps(uint8_t *out, size_t out_size,
			      const struct vdp_caps *caps,
			      int32_t max_clipboard);
/* Whole CLIPBOARD_GRAB (<= VDP_IPC_CLIPBOARD_GRAB_MAX bytes). */
int vdp_ipc_build_clipboard_grab(uint8_t *out, size_t out_size,
				 uint8_t selection, const uint32_t *types,
				 uint32_t count);
/* Whole CLIPBOARD_REQUEST (VDP_IPC_CLIPBOARD_REQUEST_SIZE bytes). */
int vdp_ipc_build_clipboard_request(uint8_t *out, size_t out_size,
				    uint8_t selection, uint32_t type);
/* CLIPBOARD_DATA head (VDP_IPC_CLIPBOARD_DATA_HEAD_SIZE); data follows. */
int vdp_ipc_build_clipboard_data_head(uint8_t *out, size_t out_size,
				      uint8_t selection, uint32_t type);
/* Whole CLIPBOARD_RELEASE (VDP_IPC_CLIPBOARD_RELEASE_SIZE bytes). */
int vdp_ipc_build_clipboard_release(uint8_t *out, size_t out_size,
				    uint8_t selection);
/* FILE_XFER_START head (VDP_IPC_XFER_START_HEAD_SIZE); text follows. */
int vdp_ipc_build_xfer_start_head(uint8_t *out, size_t out_size, uint32_t id);
/* FILE_XFER_DATA head (VDP_IPC_XFER_DATA_HEAD_SIZE); data follows. */
int vdp_ipc_build_xfer_data_head(uint8_t *out, size_t out_size, uint32_t id);
/* Whole FILE_XFER_STATUS (<= VDP_IPC_XFER_STATUS_MAX bytes), detail
 * copied in (see the detail rules above). */
int vdp_ipc_build_xfer_status(uint8_t *out, size_t out_size, uint32_t id,
			      uint32_t result, const void *detail,
			      size_t detail_len);
/* Whole MONITORS_RESULT (VDP_IPC_MONITORS_RESULT_SIZE bytes). */
int vdp_ipc_build_monitors_result(uint8_t *out, size_t out_size,
				  uint32_t serial, uint32_t result);

/* IPC-API-READY */
