/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the validators, built once per message type with
 * -DFUZZ_TARGET_VALIDATE_<NAME>=1 (see tests/fuzz/local.mk).
 *
 * Beyond "no crash": whatever a validator accepts must survive
 * view -> builder -> validator unchanged, and the dispatcher must agree
 * with the direct call.  For the clipboard messages the first input byte
 * chooses the negotiated caps (bit 0 selection, bit 1 grab serial).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-build.h"
#include "vdp-validate.h"

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			__builtin_trap();                                     \
	} while (0)

static uint8_t out[128 * 1024];

static void check_dispatch(uint32_t type, const uint8_t *data, size_t size,
			   const struct vdp_caps *caps, int direct)
{
	CHECK(vdp_validate_message(type, data, size, caps) == direct);
	/* names never fail */
	CHECK(vdp_message_type_name(type) != NULL);
}

/* The builder wrote exactly the input bytes. */
__attribute__((unused)) static void check_same_bytes(int n, const uint8_t *data, size_t size)
{
	CHECK(n >= 0 && (size_t)n == size && memcmp(out, data, size) == 0);
}

__attribute__((unused)) static const struct vdp_caps *
caps_from_byte(const uint8_t **data, size_t *size, struct vdp_caps *caps)
{
	vdp_caps_clear_all(caps);
	if (*size == 0)
		return NULL;
	if ((*data)[0] & 1)
		vdp_caps_set(caps, VDP_CAP_CLIPBOARD_SELECTION);
	if ((*data)[0] & 2)
		vdp_caps_set(caps, VDP_CAP_CLIPBOARD_GRAB_SERIAL);
	(*data)++;
	(*size)--;
	return caps;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int r;
	int n = 0;

#if defined(FUZZ_TARGET_VALIDATE_MOUSE_STATE)
	struct vdp_mouse_state v;

	r = vdp_parse_mouse_state(data, size, &v);
	check_dispatch(VDP_MSG_MOUSE_STATE, data, size, NULL, r);
	if (r == 0)
		check_same_bytes(vdp_build_mouse_state(out, sizeof(out), &v),
				 data, size);

#elif defined(FUZZ_TARGET_VALIDATE_MONITORS_CONFIG)
	static struct vdp_monitors_config v;

	r = vdp_parse_monitors_config(data, size, &v);
	check_dispatch(VDP_MSG_MONITORS_CONFIG, data, size, NULL, r);
	if (r == 0) {
		CHECK(v.count >= 1 && v.count <= VDP_MONITORS_MAX);
		for (uint32_t i = 0; i < v.count; i++)
			CHECK(v.mon[i].enabled ==
			      (v.mon[i].width && v.mon[i].height));
		check_same_bytes(vdp_build_monitors_config(out, sizeof(out),
							   &v),
				 data, size);
	}

#elif defined(FUZZ_TARGET_VALIDATE_REPLY)
	struct vdp_reply v;

	r = vdp_parse_reply(data, size, &v);
	check_dispatch(VDP_MSG_REPLY, data, size, NULL, r);
	if (r == 0) {
		CHECK(v.error == VDP_REPLY_SUCCESS || v.error == VDP_REPLY_ERROR);
		check_same_bytes(vdp_build_reply(out, sizeof(out), v.type,
						 v.error),
				 data, size);
	}

#elif defined(FUZZ_TARGET_VALIDATE_CLIPBOARD)
	struct vdp_caps c;
	const struct vdp_caps *caps = caps_from_byte(&data, &size, &c);
	struct vdp_clipboard v, v2;

	r = vdp_parse_clipboard(data, size, caps, &v);
	check_dispatch(VDP_MSG_CLIPBOARD, data, size, caps, r);
	if (r == 0) {
		CHECK(v.selection < VDP_SELECTION_END);
		CHECK(v.data >= data && v.data + v.size == data + size);
	}
	if (r == 0 && size <= sizeof(out)) {
		n = vdp_build_clipboard_header(out, sizeof(out), caps,
					       v.selection, v.type);
		CHECK(n >= 0 && (size_t)n + v.size == size);
		memcpy(out + n, v.data, v.size);
		CHECK(vdp_parse_clipboard(out, (size_t)n + v.size, caps,
					  &v2) == 0);
		CHECK(v2.selection == v.selection && v2.type == v.type &&
		      v2.size == v.size);
	}

#elif defined(FUZZ_TARGET_VALIDATE_DISPLAY_CONFIG)
	struct vdp_display_config v;

	r = vdp_parse_display_config(data, size, &v);
	check_dispatch(VDP_MSG_DISPLAY_CONFIG, data, size, NULL, r);
	if (r == 0)
		check_same_bytes(vdp_build_display_config(out, sizeof(out),
							  &v),
				 data, size);

#elif defined(FUZZ_TARGET_VALIDATE_CAPABILITIES)
	struct vdp_capabilities v, v2;
	char names[1024];

	r = vdp_parse_capabilities(data, size, &v);
	check_dispatch(VDP_MSG_ANNOUNCE_CAPABILITIES, data, size, NULL, r);
	if (r == 0) {
		vdp_caps_format(&v.caps, names, sizeof(names));
		CHECK(memchr(names, '\0', sizeof(names)) != NULL);
		n = vdp_build_capabilities(out, sizeof(out), v.request,
					   &v.caps);
		CHECK(n > 0 &&
		      vdp_parse_capabilities(out, (size_t)n, &v2) == 0);
		CHECK(v2.request == v.request &&
		      memcmp(&v2.caps, &v.caps, sizeof(v.caps)) == 0);
	}

#elif defined(FUZZ_TARGET_VALIDATE_CLIPBOARD_GRAB)
	struct vdp_caps c;
	const struct vdp_caps *caps = caps_from_byte(&data, &size, &c);
	static struct vdp_clipboard_grab v, v2;

	r = vdp_parse_clipboard_grab(data, size, caps, &v);
	check_dispatch(VDP_MSG_CLIPBOARD_GRAB, data, size, caps, r);
	if (r == 0) {
		CHECK(v.count <= VDP_CLIPBOARD_TYPES_MAX);
		n = vdp_build_clipboard_grab(out, sizeof(out), caps,
					     v.selection, v.serial, v.types,
					     v.count);
		CHECK(n >= 0 && (size_t)n == size);
		CHECK(vdp_parse_clipboard_grab(out, (size_t)n, caps, &v2) == 0);
		CHECK(v2.selection == v.selection &&
		      v2.has_serial == v.has_serial && v2.serial == v.serial &&
		      v2.count == v.count &&
		      memcmp(v2.types, v.types, v.count * 4) == 0);
	}

#elif defined(FUZZ_TARGET_VALIDATE_CLIPBOARD_REQUEST)
	struct vdp_caps c;
	const struct vdp_caps *caps = caps_from_byte(&data, &size, &c);
	struct vdp_clipboard_request v, v2;

	r = vdp_parse_clipboard_request(data, size, caps, &v);
	check_dispatch(VDP_MSG_CLIPBOARD_REQUEST, data, size, caps, r);
	if (r == 0) {
		n = vdp_build_clipboard_request(out, sizeof(out), caps,
						v.selection, v.type);
		CHECK(n >= 0 && (size_t)n == size);
		CHECK(vdp_parse_clipboard_request(out, (size_t)n, caps, &v2) ==
		      0);
		CHECK(v2.selection == v.selection && v2.type == v.type);
	}

#elif defined(FUZZ_TARGET_VALIDATE_CLIPBOARD_RELEASE)
	struct vdp_caps c;
	const struct vdp_caps *caps = caps_from_byte(&data, &size, &c);
	struct vdp_clipboard_release v, v2;

	r = vdp_parse_clipboard_release(data, size, caps, &v);
	check_dispatch(VDP_MSG_CLIPBOARD_RELEASE, data, size, caps, r);
	if (r == 0) {
		n = vdp_build_clipboard_release(out, sizeof(out), caps,
						v.selection);
		CHECK(n >= 0 && (size_t)n == size);
		CHECK(vdp_parse_clipboard_release(out, (size_t)n, caps, &v2) ==
		      0);
		CHECK(v2.selection == v.selection);
	}

#elif defined(FUZZ_TARGET_VALIDATE_XFER_START)
	struct vdp_xfer_start v, v2;
	static char name[VDP_XFER_NAME_MAX], name2[VDP_XFER_NAME_MAX];
	uint64_t fsize, fsize2;

	r = vdp_parse_xfer_start(data, size, &v);
	check_dispatch(VDP_MSG_FILE_XFER_START, data, size, NULL, r);
	if (r == 0) {
		CHECK(memchr(v.keyfile, '\0', v.keyfile_len) == NULL);
		n = vdp_build_xfer_start_raw(out, sizeof(out), v.id, v.keyfile,
					     v.keyfile_len);
		CHECK(n >= 0 && vdp_parse_xfer_start(out, (size_t)n, &v2) == 0);
		CHECK(v2.id == v.id && v2.keyfile_len == v.keyfile_len);

		/* the key file: what parses must format and parse back */
		if (vdp_xfer_keyfile_parse(v.keyfile, v.keyfile_len, name,
					   sizeof(name), &fsize) == 0) {
			size_t len = strlen(name);

			CHECK(len > 0 && len < sizeof(name));
			CHECK(vdp_check_utf8((const uint8_t *)name, len) == 0);
			(void)vdp_xfer_name_is_safe(name);
			n = vdp_build_xfer_start(out, sizeof(out), v.id, name,
						 fsize);
			if (n != -E2BIG) {
				CHECK(n > 0);
				CHECK(vdp_parse_xfer_start(out, (size_t)n,
							   &v2) == 0);
				CHECK(vdp_xfer_keyfile_parse(
					      v2.keyfile, v2.keyfile_len,
					      name2, sizeof(name2),
					      &fsize2) == 0);
				CHECK(strcmp(name, name2) == 0 &&
				      fsize == fsize2);
			}
		}
	}

#elif defined(FUZZ_TARGET_VALIDATE_XFER_STATUS)
	struct vdp_xfer_status_msg v;

	r = vdp_parse_xfer_status(data, size, &v);
	check_dispatch(VDP_MSG_FILE_XFER_STATUS, data, size, NULL, r);
	if (r == 0) {
		CHECK(vdp_xfer_status_name(v.result) != NULL);
		check_same_bytes(vdp_build_xfer_status(out, sizeof(out), &v),
				 data, size);
	}

#elif defined(FUZZ_TARGET_VALIDATE_XFER_DATA)
	struct vdp_xfer_data v;

	r = vdp_parse_xfer_data(data, size, &v);
	check_dispatch(VDP_MSG_FILE_XFER_DATA, data, size, NULL, r);
	if (r == 0) {
		CHECK(v.data + v.size == data + size);
		n = vdp_build_xfer_data_header(out, sizeof(out), v.id, v.size);
		CHECK(n == 12 && memcmp(out, data, 12) == 0);
	}

#elif defined(FUZZ_TARGET_VALIDATE_CLIENT_DISCONNECTED)
	r = vdp_parse_client_disconnected(data, size);
	check_dispatch(VDP_MSG_CLIENT_DISCONNECTED, data, size, NULL, r);
	CHECK((r == 0) == (size == 0));

#elif defined(FUZZ_TARGET_VALIDATE_MAX_CLIPBOARD)
	struct vdp_max_clipboard v;

	r = vdp_parse_max_clipboard(data, size, &v);
	check_dispatch(VDP_MSG_MAX_CLIPBOARD, data, size, NULL, r);
	if (r == 0)
		check_same_bytes(vdp_build_max_clipboard(out, sizeof(out),
							 v.max),
				 data, size);

#elif defined(FUZZ_TARGET_VALIDATE_VOLUME_SYNC)
	static struct vdp_volume_sync v, v2;

	r = vdp_parse_volume_sync(data, size, &v);
	check_dispatch(VDP_MSG_AUDIO_VOLUME_SYNC, data, size, NULL, r);
	if (r == 0) {
		n = vdp_build_volume_sync(out, sizeof(out), &v);
		CHECK(n >= 0 && (size_t)n == size);
		CHECK(vdp_parse_volume_sync(out, (size_t)n, &v2) == 0);
		CHECK(v2.is_playback == v.is_playback && v2.mute == v.mute &&
		      v2.nchannels == v.nchannels &&
		      memcmp(v2.volume, v.volume, 2u * v.nchannels) == 0);
		CHECK(memcmp(out + 3, data + 3, size - 3) == 0);
	}

#elif defined(FUZZ_TARGET_VALIDATE_GRAPHICS_DEVICE_INFO)
	static struct vdp_graphics_device_info v;

	r = vdp_parse_graphics_device_info(data, size, &v);
	check_dispatch(VDP_MSG_GRAPHICS_DEVICE_INFO, data, size, NULL, r);
	if (r == 0) {
		for (uint32_t i = 0; i < v.count; i++) {
			const char *a = v.entry[i].address;

			CHECK((const uint8_t *)a >= data &&
			      (const uint8_t *)a + strlen(a) < data + size);
		}
		check_same_bytes(vdp_build_graphics_device_info(out,
								sizeof(out),
								&v),
				 data, size);
	}

#else
#error "build with -DFUZZ_TARGET_VALIDATE_<NAME>=1"
#endif
	(void)n;
	return 0;
}
