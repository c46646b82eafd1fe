/* SPDX-License-Identifier: MIT */
/* The data-control interfaces (see wl-data-control-protocol.h). */
#include "config.h"

#include <stddef.h>

#include "wl-data-control-protocol.h"

/* wl_seat's interface: libwayland-client and libwayland-server both
 * define it, so the agent and the test compositor link either way. */
extern const struct wl_interface wl_seat_interface;

/*
 * One family: its four interfaces and the argument types of their
 * messages.  Signatures: n new_id, o object (? nullable), s string,
 * h fd; a leading number is the version that added the message.
 */
#define WL_DC_FAMILY(P, PRIMARY)                                              \
	static const struct wl_interface P##_manager, P##_device,             \
		P##_source, P##_offer;                                        \
	static const struct wl_interface *P##_types[] = {                     \
		NULL, NULL,                     /* 0: s, sh */                \
		&P##_source,                    /* 2: create_data_source */   \
		&P##_device, &wl_seat_interface, /* 3: get_data_device */     \
		&P##_source,                    /* 5: set_selection */        \
		&P##_offer,                     /* 6: data_offer, selection */ \
	};                                                                    \
	static const struct wl_message P##_manager_requests[] = {             \
		{ "create_data_source", "n", P##_types + 2 },                 \
		{ "get_data_device", "no", P##_types + 3 },                   \
		{ "destroy", "", P##_types },                                 \
	};                                                                    \
	static const struct wl_message P##_device_requests[] = {              \
		{ "set_selection", "?o", P##_types + 5 },                     \
		{ "destroy", "", P##_types },                                 \
		{ "set_primary_selection", PRIMARY "?o", P##_types + 5 },     \
	};                                                                    \
	static const struct wl_message P##_device_events[] = {                \
		{ "data_offer", "n", P##_types + 6 },                         \
		{ "selection", "?o", P##_types + 6 },                         \
		{ "finished", "", P##_types },                                \
		{ "primary_selection", PRIMARY "?o", P##_types + 6 },         \
	};                                                                    \
	static const struct wl_message P##_source_requests[] = {              \
		{ "offer", "s", P##_types },                                  \
		{ "destroy", "", P##_types },                                 \
	};                                                                    \
	static const struct wl_message P##_source_events[] = {                \
		{ "send", "sh", P##_types },                                  \
		{ "cancelled", "", P##_types },                               \
	};                                                                    \
	static const struct wl_message P##_offer_requests[] = {               \
		{ "receive", "sh", P##_types },                               \
		{ "destroy", "", P##_types },                                 \
	};                                                                    \
	static const struct wl_message P##_offer_events[] = {                 \
		{ "offer", "s", P##_types },                                  \
	};

WL_DC_FAMILY(wlr, "2")
WL_DC_FAMILY(ext, "")

#define WL_DC_INTERFACES(P, PREFIX, VERSION)                                  \
	static const struct wl_interface P##_manager = {                      \
		PREFIX "manager_v1", VERSION, 3, P##_manager_requests, 0,     \
		NULL,                                                         \
	};                                                                    \
	static const struct wl_interface P##_device = {                       \
		PREFIX "device_v1", VERSION, 3, P##_device_requests, 4,       \
		P##_device_events,                                            \
	};                                                                    \
	static const struct wl_interface P##_source = {                       \
		PREFIX "source_v1", VERSION, 2, P##_source_requests, 2,       \
		P##_source_events,                                            \
	};                                                                    \
	static const struct wl_interface P##_offer = {                        \
		PREFIX "offer_v1", VERSION, 2, P##_offer_requests, 1,         \
		P##_offer_events,                                             \
	};

WL_DC_INTERFACES(wlr, "zwlr_data_control_", 2)
WL_DC_INTERFACES(ext, "ext_data_control_", 1)

const struct wl_dc_family wl_dc_wlr = {
	.name = "wlr-data-control",
	.manager = &wlr_manager,
	.device = &wlr_device,
	.source = &wlr_source,
	.offer = &wlr_offer,
	.max_version = 2,
	.primary_version = 2,
};

const struct wl_dc_family wl_dc_ext = {
	.name = "ext-data-control",
	.manager = &ext_manager,
	.device = &ext_device,
	.source = &ext_source,
	.offer = &ext_offer,
	.max_version = 1,
	.primary_version = 1,
};
