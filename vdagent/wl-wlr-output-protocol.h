/* SPDX-License-Identifier: MIT */
/*
 * The interfaces of wlr-output-management-unstable-v1 (wlroots
 * compositors), versions 1 to 4, written from the protocol's documented
 * definition: no XML of it is packaged for Debian 12.
 *
 *   version 1: heads, modes, configurations (set_custom_mode included)
 *   version 2: the head's make, model and serial_number events
 *   version 3: release requests for heads and modes
 *   version 4: adaptive sync (head event, configuration head request)
 *
 * Only wayland-util.h types: the agent (a client) and the test
 * compositor (tests/e2e/wl-fake-output-manager.c, a server) share it.
 */
#pragma once

#include <stdint.h>
#include <wayland-util.h>

#define WL_WLR_OUTPUT_VERSION 4 /* the highest we know */

extern const struct wl_interface wl_wlr_output_manager_interface;
extern const struct wl_interface wl_wlr_output_head_interface;
extern const struct wl_interface wl_wlr_output_mode_interface;
extern const struct wl_interface wl_wlr_output_configuration_interface;
extern const struct wl_interface wl_wlr_output_configuration_head_interface;

/* zwlr_output_manager_v1: requests, events */
#define WL_WLR_MANAGER_CREATE_CONFIGURATION 0
#define WL_WLR_MANAGER_STOP 1
#define WL_WLR_MANAGER_HEAD 0
#define WL_WLR_MANAGER_DONE 1
#define WL_WLR_MANAGER_FINISHED 2

/* zwlr_output_head_v1: requests, events */
#define WL_WLR_HEAD_RELEASE 0 /* since 3 */
#define WL_WLR_HEAD_RELEASE_SINCE 3
#define WL_WLR_HEAD_NAME 0
#define WL_WLR_HEAD_DESCRIPTION 1
#define WL_WLR_HEAD_PHYSICAL_SIZE 2
#define WL_WLR_HEAD_MODE 3
#define WL_WLR_HEAD_ENABLED 4
#define WL_WLR_HEAD_CURRENT_MODE 5
#define WL_WLR_HEAD_POSITION 6
#define WL_WLR_HEAD_TRANSFORM 7
#define WL_WLR_HEAD_SCALE 8
#define WL_WLR_HEAD_FINISHED 9
#define WL_WLR_HEAD_MAKE 10          /* since 2 */
#define WL_WLR_HEAD_MODEL 11         /* since 2 */
#define WL_WLR_HEAD_SERIAL_NUMBER 12 /* since 2 */
#define WL_WLR_HEAD_ADAPTIVE_SYNC 13 /* since 4 */

/* zwlr_output_mode_v1: requests, events */
#define WL_WLR_MODE_RELEASE 0 /* since 3 */
#define WL_WLR_MODE_SIZE 0
#define WL_WLR_MODE_REFRESH 1
#define WL_WLR_MODE_PREFERRED 2
#define WL_WLR_MODE_FINISHED 3

/* zwlr_output_configuration_v1: requests, events, errors */
#define WL_WLR_CONFIG_ENABLE_HEAD 0
#define WL_WLR_CONFIG_DISABLE_HEAD 1
#define WL_WLR_CONFIG_APPLY 2
#define WL_WLR_CONFIG_TEST 3
#define WL_WLR_CONFIG_DESTROY 4
#define WL_WLR_CONFIG_SUCCEEDED 0
#define WL_WLR_CONFIG_FAILED 1
#define WL_WLR_CONFIG_CANCELLED 2
#define WL_WLR_CONFIG_ERROR_ALREADY_CONFIGURED_HEAD 1
#define WL_WLR_CONFIG_ERROR_UNCONFIGURED_HEAD 2
#define WL_WLR_CONFIG_ERROR_ALREADY_USED 3

/* zwlr_output_configuration_head_v1: requests, errors */
#define WL_WLR_CONFIG_HEAD_SET_MODE 0
#define WL_WLR_CONFIG_HEAD_SET_CUSTOM_MODE 1
#define WL_WLR_CONFIG_HEAD_SET_POSITION 2
#define WL_WLR_CONFIG_HEAD_SET_TRANSFORM 3
#define WL_WLR_CONFIG_HEAD_SET_SCALE 4
#define WL_WLR_CONFIG_HEAD_SET_ADAPTIVE_SYNC 5 /* since 4 */
#define WL_WLR_CONFIG_HEAD_ERROR_ALREADY_SET 1
#define WL_WLR_CONFIG_HEAD_ERROR_INVALID_MODE 2
#define WL_WLR_CONFIG_HEAD_ERROR_INVALID_CUSTOM_MODE 3

/* Client listeners, in event order.  A new_id or object argument is a
 * struct wl_proxy *. */
struct wl_proxy;

struct wl_wlr_manager_listener {
	void (*head)(void *data, struct wl_proxy *m, struct wl_proxy *head);
	void (*done)(void *data, struct wl_proxy *m, uint32_t serial);
	void (*finished)(void *data, struct wl_proxy *m);
};

struct wl_wlr_head_listener {
	void (*name)(void *data, struct wl_proxy *h, const char *name);
	void (*description)(void *data, struct wl_proxy *h, const char *d);
	void (*physical_size)(void *data, struct wl_proxy *h, int32_t w,
			      int32_t hgt);
	void (*mode)(void *data, struct wl_proxy *h, struct wl_proxy *mode);
	void (*enabled)(void *data, struct wl_proxy *h, int32_t enabled);
	void (*current_mode)(void *data, struct wl_proxy *h,
			     struct wl_proxy *mode);
	void (*position)(void *data, struct wl_proxy *h, int32_t x, int32_t y);
	void (*transform)(void *data, struct wl_proxy *h, int32_t transform);
	void (*scale)(void *data, struct wl_proxy *h, wl_fixed_t scale);
	void (*finished)(void *data, struct wl_proxy *h);
	void (*make)(void *data, struct wl_proxy *h, const char *make);
	void (*model)(void *data, struct wl_proxy *h, const char *model);
	void (*serial_number)(void *data, struct wl_proxy *h, const char *s);
	void (*adaptive_sync)(void *data, struct wl_proxy *h, uint32_t state);
};

struct wl_wlr_mode_listener {
	void (*size)(void *data, struct wl_proxy *m, int32_t w, int32_t h);
	void (*refresh)(void *data, struct wl_proxy *m, int32_t mhz);
	void (*preferred)(void *data, struct wl_proxy *m);
	void (*finished)(void *data, struct wl_proxy *m);
};

struct wl_wlr_config_listener {
	void (*succeeded)(void *data, struct wl_proxy *c);
	void (*failed)(void *data, struct wl_proxy *c);
	void (*cancelled)(void *data, struct wl_proxy *c);
};
