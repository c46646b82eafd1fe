/* SPDX-License-Identifier: MIT */
/* The wlr-output-management interfaces (see wl-wlr-output-protocol.h). */
#include "config.h"

#include <stddef.h>

#include "wl-wlr-output-protocol.h"

#define manager wl_wlr_output_manager_interface
#define head wl_wlr_output_head_interface
#define mode wl_wlr_output_mode_interface
#define config wl_wlr_output_configuration_interface
#define config_head wl_wlr_output_configuration_head_interface

/*
 * The interfaces of the arguments of every message, by index.
 * Signatures: i int, u uint, f fixed, s string, n new_id, o object; a
 * leading number is the version that added the message.
 */
static const struct wl_interface *types[] = {
	NULL, NULL, NULL,      /* 0: up to three plain arguments */
	&head,                 /* 3: manager.head */
	&config, NULL,         /* 4: create_configuration */
	&mode,                 /* 6: head.mode, current_mode, set_mode */
	&config_head, &head,   /* 7: enable_head; 8: disable_head */
};

static const struct wl_message manager_requests[] = {
	{ "create_configuration", "nu", types + 4 },
	{ "stop", "", types },
};
static const struct wl_message manager_events[] = {
	{ "head", "n", types + 3 },
	{ "done", "u", types },
	{ "finished", "", types },
};

static const struct wl_message head_requests[] = {
	{ "release", "3", types },
};
static const struct wl_message head_events[] = {
	{ "name", "s", types },
	{ "description", "s", types },
	{ "physical_size", "ii", types },
	{ "mode", "n", types + 6 },
	{ "enabled", "i", types },
	{ "current_mode", "o", types + 6 },
	{ "position", "ii", types },
	{ "transform", "i", types },
	{ "scale", "f", types },
	{ "finished", "", types },
	{ "make", "2s", types },
	{ "model", "2s", types },
	{ "serial_number", "2s", types },
	{ "adaptive_sync", "4u", types },
};

static const struct wl_message mode_requests[] = {
	{ "release", "3", types },
};
static const struct wl_message mode_events[] = {
	{ "size", "ii", types },
	{ "refresh", "i", types },
	{ "preferred", "", types },
	{ "finished", "", types },
};

static const struct wl_message config_requests[] = {
	{ "enable_head", "no", types + 7 },
	{ "disable_head", "o", types + 8 },
	{ "apply", "", types },
	{ "test", "", types },
	{ "destroy", "", types },
};
static const struct wl_message config_events[] = {
	{ "succeeded", "", types },
	{ "failed", "", types },
	{ "cancelled", "", types },
};

static const struct wl_message config_head_requests[] = {
	{ "set_mode", "o", types + 6 },
	{ "set_custom_mode", "iii", types },
	{ "set_position", "ii", types },
	{ "set_transform", "i", types },
	{ "set_scale", "f", types },
	{ "set_adaptive_sync", "4u", types },
};

const struct wl_interface manager = {
	"zwlr_output_manager_v1", 4, 2, manager_requests, 3, manager_events,
};
const struct wl_interface head = {
	"zwlr_output_head_v1", 4, 1, head_requests, 14, head_events,
};
const struct wl_interface mode = {
	"zwlr_output_mode_v1", 3, 1, mode_requests, 4, mode_events,
};
const struct wl_interface config = {
	"zwlr_output_configuration_v1", 4, 5, config_requests, 3,
	config_events,
};
const struct wl_interface config_head = {
	"zwlr_output_configuration_head_v1", 4, 6, config_head_requests, 0,
	NULL,
};
