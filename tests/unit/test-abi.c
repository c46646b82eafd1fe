/* SPDX-License-Identifier: MIT */
/*
 * ABI check: protocol/vdp-wire.h against spice-protocol's <spice/vd_agent.h>.
 *
 * Both headers are compiled into this one file.  Every struct size, every
 * field (offset, size, signedness) and every constant gets its own TAP line,
 * so a mismatch names itself.
 */
#include <stddef.h>
#include <stdint.h>

#include <spice/vd_agent.h>

#include "vdp-caps.h"
#include "vdp-wire.h"

#include "tap.h"

/* Written as "not (-1 > 0)" so that -Wtype-limits stays quiet. */
#define IS_SIGNED(lvalue) (!((__typeof__(lvalue))-1 > (__typeof__(lvalue))0))

/* Struct sizes. */
#define SIZE(spice_t, ours_t)                                                 \
	is_int(sizeof(spice_t), sizeof(ours_t), "sizeof(%s) == sizeof(%s) (%zu)", \
	       #spice_t, #ours_t, sizeof(spice_t))

/* A scalar field: same offset, size and signedness. */
#define FIELD(spice_t, spice_f, ours_t, ours_f)                               \
	do {                                                                  \
		size_t so = offsetof(spice_t, spice_f);                       \
		size_t oo = offsetof(ours_t, ours_f);                         \
		size_t ss = sizeof(((spice_t *)0)->spice_f);                  \
		size_t os = sizeof(((ours_t *)0)->ours_f);                    \
		int sg = IS_SIGNED(((spice_t *)0)->spice_f);                  \
		int og = IS_SIGNED(((ours_t *)0)->ours_f);                    \
		if (!ok(so == oo && ss == os && sg == og,                     \
			"%s.%s == %s.%s (offset %zu, size %zu, %s)", #spice_t, \
			#spice_f, #ours_t, #ours_f, so, ss,                   \
			sg ? "signed" : "unsigned"))                          \
			diag("  ours: offset %zu, size %zu, %s", oo, os,      \
			     og ? "signed" : "unsigned");                     \
	} while (0)

/* A trailing variable part of spice's struct starts where ours ends. */
#define TAIL(spice_t, spice_f, ours_t)                                        \
	is_int(offsetof(spice_t, spice_f), sizeof(ours_t),                    \
	       "%s.%s starts at sizeof(%s) (%zu)", #spice_t, #spice_f, #ours_t, \
	       offsetof(spice_t, spice_f))

/* Constants. */
#define CONST(spice_c, ours_c)                                                \
	is_int(spice_c, ours_c, "%s == %s (%lld)", #spice_c, #ours_c,         \
	       (long long)(spice_c))

static void test_framing(void)
{
	CONST(VDP_CLIENT_PORT, VDP_PORT_CLIENT);
	CONST(VDP_SERVER_PORT, VDP_PORT_SERVER);
	CONST(VDP_END_PORT, VDP_PORT_SERVER + 1);
	CONST(VD_AGENT_PROTOCOL, VDP_PROTOCOL_VERSION);
	CONST(VD_AGENT_MAX_DATA_SIZE, VDP_CHUNK_MAX_DATA);

	SIZE(VDIChunkHeader, struct vdp_chunk_header);
	FIELD(VDIChunkHeader, port, struct vdp_chunk_header, port);
	FIELD(VDIChunkHeader, size, struct vdp_chunk_header, size);

	SIZE(VDAgentMessage, struct vdp_message_header);
	FIELD(VDAgentMessage, protocol, struct vdp_message_header, protocol);
	FIELD(VDAgentMessage, type, struct vdp_message_header, type);
	FIELD(VDAgentMessage, opaque, struct vdp_message_header, opaque);
	FIELD(VDAgentMessage, size, struct vdp_message_header, size);
	TAIL(VDAgentMessage, data, struct vdp_message_header);
}

static void test_message_types(void)
{
	CONST(VD_AGENT_MOUSE_STATE, VDP_MSG_MOUSE_STATE);
	CONST(VD_AGENT_MONITORS_CONFIG, VDP_MSG_MONITORS_CONFIG);
	CONST(VD_AGENT_REPLY, VDP_MSG_REPLY);
	CONST(VD_AGENT_CLIPBOARD, VDP_MSG_CLIPBOARD);
	CONST(VD_AGENT_DISPLAY_CONFIG, VDP_MSG_DISPLAY_CONFIG);
	CONST(VD_AGENT_ANNOUNCE_CAPABILITIES, VDP_MSG_ANNOUNCE_CAPABILITIES);
	CONST(VD_AGENT_CLIPBOARD_GRAB, VDP_MSG_CLIPBOARD_GRAB);
	CONST(VD_AGENT_CLIPBOARD_REQUEST, VDP_MSG_CLIPBOARD_REQUEST);
	CONST(VD_AGENT_CLIPBOARD_RELEASE, VDP_MSG_CLIPBOARD_RELEASE);
	CONST(VD_AGENT_FILE_XFER_START, VDP_MSG_FILE_XFER_START);
	CONST(VD_AGENT_FILE_XFER_STATUS, VDP_MSG_FILE_XFER_STATUS);
	CONST(VD_AGENT_FILE_XFER_DATA, VDP_MSG_FILE_XFER_DATA);
	CONST(VD_AGENT_CLIENT_DISCONNECTED, VDP_MSG_CLIENT_DISCONNECTED);
	CONST(VD_AGENT_MAX_CLIPBOARD, VDP_MSG_MAX_CLIPBOARD);
	CONST(VD_AGENT_AUDIO_VOLUME_SYNC, VDP_MSG_AUDIO_VOLUME_SYNC);
	CONST(VD_AGENT_GRAPHICS_DEVICE_INFO, VDP_MSG_GRAPHICS_DEVICE_INFO);
	CONST(VD_AGENT_END_MESSAGE, VDP_MSG_END);
}

static void test_caps(void)
{
	CONST(VD_AGENT_CAP_MOUSE_STATE, VDP_CAP_MOUSE_STATE);
	CONST(VD_AGENT_CAP_MONITORS_CONFIG, VDP_CAP_MONITORS_CONFIG);
	CONST(VD_AGENT_CAP_REPLY, VDP_CAP_REPLY);
	CONST(VD_AGENT_CAP_CLIPBOARD, VDP_CAP_CLIPBOARD);
	CONST(VD_AGENT_CAP_DISPLAY_CONFIG, VDP_CAP_DISPLAY_CONFIG);
	CONST(VD_AGENT_CAP_CLIPBOARD_BY_DEMAND, VDP_CAP_CLIPBOARD_BY_DEMAND);
	CONST(VD_AGENT_CAP_CLIPBOARD_SELECTION, VDP_CAP_CLIPBOARD_SELECTION);
	CONST(VD_AGENT_CAP_SPARSE_MONITORS_CONFIG,
	      VDP_CAP_SPARSE_MONITORS_CONFIG);
	CONST(VD_AGENT_CAP_GUEST_LINEEND_LF, VDP_CAP_GUEST_LINEEND_LF);
	CONST(VD_AGENT_CAP_GUEST_LINEEND_CRLF, VDP_CAP_GUEST_LINEEND_CRLF);
	CONST(VD_AGENT_CAP_MAX_CLIPBOARD, VDP_CAP_MAX_CLIPBOARD);
	CONST(VD_AGENT_CAP_AUDIO_VOLUME_SYNC, VDP_CAP_AUDIO_VOLUME_SYNC);
	CONST(VD_AGENT_CAP_MONITORS_CONFIG_POSITION,
	      VDP_CAP_MONITORS_CONFIG_POSITION);
	CONST(VD_AGENT_CAP_FILE_XFER_DISABLED, VDP_CAP_FILE_XFER_DISABLED);
	CONST(VD_AGENT_CAP_FILE_XFER_DETAILED_ERRORS,
	      VDP_CAP_FILE_XFER_DETAILED_ERRORS);
	CONST(VD_AGENT_CAP_GRAPHICS_DEVICE_INFO, VDP_CAP_GRAPHICS_DEVICE_INFO);
	CONST(VD_AGENT_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB,
	      VDP_CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB);
	CONST(VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	CONST(VD_AGENT_END_CAP, VDP_CAP_END);
	CONST(VD_AGENT_CAPS_SIZE, VDP_CAPS_WORDS);
	CONST(VD_AGENT_CAPS_BYTES, sizeof(struct vdp_caps));

	SIZE(VDAgentAnnounceCapabilities, struct vdp_announce_capabilities);
	FIELD(VDAgentAnnounceCapabilities, request,
	      struct vdp_announce_capabilities, request);
	TAIL(VDAgentAnnounceCapabilities, caps,
	     struct vdp_announce_capabilities);
}

static void test_mouse(void)
{
	CONST(VD_AGENT_LBUTTON_MASK, VDP_BUTTON_LEFT);
	CONST(VD_AGENT_MBUTTON_MASK, VDP_BUTTON_MIDDLE);
	CONST(VD_AGENT_RBUTTON_MASK, VDP_BUTTON_RIGHT);
	CONST(VD_AGENT_UBUTTON_MASK, VDP_BUTTON_UP);
	CONST(VD_AGENT_DBUTTON_MASK, VDP_BUTTON_DOWN);
	CONST(VD_AGENT_SBUTTON_MASK, VDP_BUTTON_SIDE);
	CONST(VD_AGENT_EBUTTON_MASK, VDP_BUTTON_EXTRA);

	SIZE(VDAgentMouseState, struct vdp_mouse_state_wire);
	FIELD(VDAgentMouseState, x, struct vdp_mouse_state_wire, x);
	FIELD(VDAgentMouseState, y, struct vdp_mouse_state_wire, y);
	FIELD(VDAgentMouseState, buttons, struct vdp_mouse_state_wire, buttons);
	FIELD(VDAgentMouseState, display_id, struct vdp_mouse_state_wire,
	      display_id);
}

static void test_monitors(void)
{
	CONST(VD_AGENT_CONFIG_MONITORS_FLAG_USE_POS, VDP_MONITORS_FLAG_USE_POS);
	CONST(VD_AGENT_CONFIG_MONITORS_FLAG_PHYSICAL_SIZE,
	      VDP_MONITORS_FLAG_PHYSICAL_SIZE);

	SIZE(VDAgentMonConfig, struct vdp_mon_config_wire);
	FIELD(VDAgentMonConfig, height, struct vdp_mon_config_wire, height);
	FIELD(VDAgentMonConfig, width, struct vdp_mon_config_wire, width);
	FIELD(VDAgentMonConfig, depth, struct vdp_mon_config_wire, depth);
	FIELD(VDAgentMonConfig, x, struct vdp_mon_config_wire, x);
	FIELD(VDAgentMonConfig, y, struct vdp_mon_config_wire, y);

	SIZE(VDAgentMonitorsConfig, struct vdp_monitors_config_wire);
	FIELD(VDAgentMonitorsConfig, num_of_monitors,
	      struct vdp_monitors_config_wire, num_of_monitors);
	FIELD(VDAgentMonitorsConfig, flags, struct vdp_monitors_config_wire,
	      flags);
	TAIL(VDAgentMonitorsConfig, monitors, struct vdp_monitors_config_wire);

	SIZE(VDAgentMonitorMM, struct vdp_monitor_mm_wire);
	FIELD(VDAgentMonitorMM, height, struct vdp_monitor_mm_wire, height);
	FIELD(VDAgentMonitorMM, width, struct vdp_monitor_mm_wire, width);
}

static void test_reply_display(void)
{
	CONST(VD_AGENT_SUCCESS, VDP_REPLY_SUCCESS);
	CONST(VD_AGENT_ERROR, VDP_REPLY_ERROR);

	SIZE(VDAgentReply, struct vdp_reply_wire);
	FIELD(VDAgentReply, type, struct vdp_reply_wire, type);
	FIELD(VDAgentReply, error, struct vdp_reply_wire, error);

	CONST(VD_AGENT_DISPLAY_CONFIG_FLAG_DISABLE_WALLPAPER,
	      VDP_DISPLAY_FLAG_DISABLE_WALLPAPER);
	CONST(VD_AGENT_DISPLAY_CONFIG_FLAG_DISABLE_FONT_SMOOTH,
	      VDP_DISPLAY_FLAG_DISABLE_FONT_SMOOTH);
	CONST(VD_AGENT_DISPLAY_CONFIG_FLAG_DISABLE_ANIMATION,
	      VDP_DISPLAY_FLAG_DISABLE_ANIMATION);
	CONST(VD_AGENT_DISPLAY_CONFIG_FLAG_SET_COLOR_DEPTH,
	      VDP_DISPLAY_FLAG_SET_COLOR_DEPTH);

	SIZE(VDAgentDisplayConfig, struct vdp_display_config_wire);
	FIELD(VDAgentDisplayConfig, flags, struct vdp_display_config_wire,
	      flags);
	FIELD(VDAgentDisplayConfig, depth, struct vdp_display_config_wire,
	      depth);
}

static void test_clipboard(void)
{
	CONST(VD_AGENT_CLIPBOARD_NONE, VDP_CLIPBOARD_NONE);
	CONST(VD_AGENT_CLIPBOARD_UTF8_TEXT, VDP_CLIPBOARD_UTF8_TEXT);
	CONST(VD_AGENT_CLIPBOARD_IMAGE_PNG, VDP_CLIPBOARD_IMAGE_PNG);
	CONST(VD_AGENT_CLIPBOARD_IMAGE_BMP, VDP_CLIPBOARD_IMAGE_BMP);
	CONST(VD_AGENT_CLIPBOARD_IMAGE_TIFF, VDP_CLIPBOARD_IMAGE_TIFF);
	CONST(VD_AGENT_CLIPBOARD_IMAGE_JPG, VDP_CLIPBOARD_IMAGE_JPG);
	CONST(VD_AGENT_CLIPBOARD_FILE_LIST, VDP_CLIPBOARD_FILE_LIST);
	/* spice has no end marker for these: ours is one past the last. */
	CONST(VD_AGENT_CLIPBOARD_FILE_LIST + 1, VDP_CLIPBOARD_TYPE_END);

	CONST(VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD, VDP_SELECTION_CLIPBOARD);
	CONST(VD_AGENT_CLIPBOARD_SELECTION_PRIMARY, VDP_SELECTION_PRIMARY);
	CONST(VD_AGENT_CLIPBOARD_SELECTION_SECONDARY, VDP_SELECTION_SECONDARY);
	CONST(VD_AGENT_CLIPBOARD_SELECTION_SECONDARY + 1, VDP_SELECTION_END);

	/* spice keeps the selection prefix under "#if 0": a u8 and padding
	 * up to sizeof(uint32_t). */
	is_int(sizeof(struct vdp_selection_prefix_wire), sizeof(uint32_t),
	       "sizeof(struct vdp_selection_prefix_wire) == sizeof(uint32_t)");
	is_int(offsetof(struct vdp_selection_prefix_wire, selection), 0,
	       "vdp_selection_prefix_wire.selection at offset 0");
	is_int(sizeof(((struct vdp_selection_prefix_wire *)0)->selection), 1,
	       "vdp_selection_prefix_wire.selection is one byte");

	SIZE(VDAgentClipboard, struct vdp_clipboard_wire);
	FIELD(VDAgentClipboard, type, struct vdp_clipboard_wire, type);
	TAIL(VDAgentClipboard, data, struct vdp_clipboard_wire);

	SIZE(VDAgentClipboardRequest, struct vdp_clipboard_request_wire);
	FIELD(VDAgentClipboardRequest, type, struct vdp_clipboard_request_wire,
	      type);

	/* GRAB and RELEASE have no fixed part without the optional prefix. */
	is_int(sizeof(VDAgentClipboardGrab), 0, "sizeof(VDAgentClipboardGrab) == 0");
	is_int(sizeof(VDAgentClipboardRelease), 0,
	       "sizeof(VDAgentClipboardRelease) == 0");

	SIZE(VDAgentMaxClipboard, struct vdp_max_clipboard_wire);
	FIELD(VDAgentMaxClipboard, max, struct vdp_max_clipboard_wire, max);
}

static void test_xfer(void)
{
	CONST(VD_AGENT_FILE_XFER_STATUS_CAN_SEND_DATA,
	      VDP_XFER_STATUS_CAN_SEND_DATA);
	CONST(VD_AGENT_FILE_XFER_STATUS_CANCELLED, VDP_XFER_STATUS_CANCELLED);
	CONST(VD_AGENT_FILE_XFER_STATUS_ERROR, VDP_XFER_STATUS_ERROR);
	CONST(VD_AGENT_FILE_XFER_STATUS_SUCCESS, VDP_XFER_STATUS_SUCCESS);
	CONST(VD_AGENT_FILE_XFER_STATUS_NOT_ENOUGH_SPACE,
	      VDP_XFER_STATUS_NOT_ENOUGH_SPACE);
	CONST(VD_AGENT_FILE_XFER_STATUS_SESSION_LOCKED,
	      VDP_XFER_STATUS_SESSION_LOCKED);
	CONST(VD_AGENT_FILE_XFER_STATUS_VDAGENT_NOT_CONNECTED,
	      VDP_XFER_STATUS_VDAGENT_NOT_CONNECTED);
	CONST(VD_AGENT_FILE_XFER_STATUS_DISABLED, VDP_XFER_STATUS_DISABLED);
	CONST(VD_AGENT_FILE_XFER_STATUS_DISABLED + 1, VDP_XFER_STATUS_END);
	CONST(VD_AGENT_FILE_XFER_STATUS_ERROR_GLIB_IO, VDP_XFER_ERROR_GLIB_IO);

	SIZE(VDAgentFileXferStartMessage, struct vdp_xfer_start_wire);
	FIELD(VDAgentFileXferStartMessage, id, struct vdp_xfer_start_wire, id);
	TAIL(VDAgentFileXferStartMessage, data, struct vdp_xfer_start_wire);

	SIZE(VDAgentFileXferStatusMessage, struct vdp_xfer_status_wire);
	FIELD(VDAgentFileXferStatusMessage, id, struct vdp_xfer_status_wire, id);
	FIELD(VDAgentFileXferStatusMessage, result, struct vdp_xfer_status_wire,
	      result);
	TAIL(VDAgentFileXferStatusMessage, data, struct vdp_xfer_status_wire);

	SIZE(VDAgentFileXferStatusError, struct vdp_xfer_error_wire);
	FIELD(VDAgentFileXferStatusError, error_type,
	      struct vdp_xfer_error_wire, error_type);
	FIELD(VDAgentFileXferStatusError, error_code,
	      struct vdp_xfer_error_wire, error_code);

	SIZE(VDAgentFileXferStatusNotEnoughSpace, struct vdp_xfer_no_space_wire);
	FIELD(VDAgentFileXferStatusNotEnoughSpace, disk_free_space,
	      struct vdp_xfer_no_space_wire, disk_free_space);

	SIZE(VDAgentFileXferDataMessage, struct vdp_xfer_data_wire);
	FIELD(VDAgentFileXferDataMessage, id, struct vdp_xfer_data_wire, id);
	FIELD(VDAgentFileXferDataMessage, size, struct vdp_xfer_data_wire, size);
	TAIL(VDAgentFileXferDataMessage, data, struct vdp_xfer_data_wire);
}

static void test_volume_gdi(void)
{
	SIZE(VDAgentAudioVolumeSync, struct vdp_volume_sync_wire);
	FIELD(VDAgentAudioVolumeSync, is_playback, struct vdp_volume_sync_wire,
	      is_playback);
	FIELD(VDAgentAudioVolumeSync, mute, struct vdp_volume_sync_wire, mute);
	FIELD(VDAgentAudioVolumeSync, nchannels, struct vdp_volume_sync_wire,
	      nchannels);
	TAIL(VDAgentAudioVolumeSync, volume, struct vdp_volume_sync_wire);
	is_int(sizeof(((VDAgentAudioVolumeSync *)0)->volume[0]),
	       sizeof(uint16_t), "VDAgentAudioVolumeSync.volume[] is u16");

	SIZE(VDAgentDeviceDisplayInfo, struct vdp_device_display_info_wire);
	FIELD(VDAgentDeviceDisplayInfo, channel_id,
	      struct vdp_device_display_info_wire, channel_id);
	FIELD(VDAgentDeviceDisplayInfo, monitor_id,
	      struct vdp_device_display_info_wire, monitor_id);
	FIELD(VDAgentDeviceDisplayInfo, device_display_id,
	      struct vdp_device_display_info_wire, device_display_id);
	FIELD(VDAgentDeviceDisplayInfo, device_address_len,
	      struct vdp_device_display_info_wire, device_address_len);
	TAIL(VDAgentDeviceDisplayInfo, device_address,
	     struct vdp_device_display_info_wire);

	SIZE(VDAgentGraphicsDeviceInfo, struct vdp_graphics_device_info_wire);
	FIELD(VDAgentGraphicsDeviceInfo, count,
	      struct vdp_graphics_device_info_wire, count);
	TAIL(VDAgentGraphicsDeviceInfo, display_info,
	     struct vdp_graphics_device_info_wire);
}

int main(void)
{
	test_framing();
	test_message_types();
	test_caps();
	test_mouse();
	test_monitors();
	test_reply_display();
	test_clipboard();
	test_xfer();
	test_volume_gdi();
	return tap_done();
}
