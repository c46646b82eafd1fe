/* SPDX-License-Identifier: MIT */
/*
 * The interfaces of the two data-control protocols, written from their
 * documented definitions (no XML of them is packaged for Debian 12):
 *
 *   wlr-data-control-unstable-v1 (wlroots compositors, KWin), version 2:
 *     zwlr_data_control_manager_v1, _device_v1, _source_v1, _offer_v1
 *   ext-data-control-v1 (wayland-protocols 1.39 and later), version 1:
 *     ext_data_control_manager_v1, _device_v1, _source_v1, _offer_v1
 *
 * Both have the same requests and events in the same order (PRIMARY is
 * version 2 in wlr's, version 1 in ext's), so one set of opcodes and one
 * listener shape serve both.
 *
 * Only wayland-util.h types: the agent (a client) and the test
 * compositor (tests/e2e/wl-fake-data-control.c, a server) share it.
 */
#pragma once

#include <stdint.h>
#include <wayland-util.h>

struct wl_proxy;

struct wl_dc_family {
	const char *name; /* for the log */
	const struct wl_interface *manager, *device, *source, *offer;
	uint32_t max_version;     /* what we bind at most */
	uint32_t primary_version; /* the first version with PRIMARY */
};

extern const struct wl_dc_family wl_dc_wlr;
extern const struct wl_dc_family wl_dc_ext;

/* manager requests */
#define WL_DC_MANAGER_CREATE_DATA_SOURCE 0
#define WL_DC_MANAGER_GET_DATA_DEVICE 1
#define WL_DC_MANAGER_DESTROY 2
/* device requests, events, errors */
#define WL_DC_DEVICE_SET_SELECTION 0
#define WL_DC_DEVICE_DESTROY 1
#define WL_DC_DEVICE_SET_PRIMARY_SELECTION 2
#define WL_DC_DEVICE_DATA_OFFER 0
#define WL_DC_DEVICE_SELECTION 1
#define WL_DC_DEVICE_FINISHED 2
#define WL_DC_DEVICE_PRIMARY_SELECTION 3
#define WL_DC_DEVICE_ERROR_USED_SOURCE 1
struct wl_dc_device_listener {
	void (*data_offer)(void *data, struct wl_proxy *device,
			   struct wl_proxy *offer);
	void (*selection)(void *data, struct wl_proxy *device,
			  struct wl_proxy *offer);
	void (*finished)(void *data, struct wl_proxy *device);
	void (*primary_selection)(void *data, struct wl_proxy *device,
				  struct wl_proxy *offer);
};
/* source requests, events, errors */
#define WL_DC_SOURCE_OFFER 0
#define WL_DC_SOURCE_DESTROY 1
#define WL_DC_SOURCE_SEND 0
#define WL_DC_SOURCE_CANCELLED 1
#define WL_DC_SOURCE_ERROR_INVALID_OFFER 1
struct wl_dc_source_listener {
	void (*send)(void *data, struct wl_proxy *source, const char *mime,
		     int32_t fd);
	void (*cancelled)(void *data, struct wl_proxy *source);
};
/* offer requests, events */
#define WL_DC_OFFER_RECEIVE 0
#define WL_DC_OFFER_DESTROY 1
#define WL_DC_OFFER_OFFER 0
struct wl_dc_offer_listener {
	void (*offer)(void *data, struct wl_proxy *offer, const char *mime);
};
