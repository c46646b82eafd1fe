/* SPDX-License-Identifier: MIT */
/*
 * The one thing the agent reads from an output's EDID: its manufacturer,
 * to recognise the monitors QEMU makes up for virtio-gpu and stdvga.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The three-letter PNP manufacturer id of a base EDID block into out
 * ("RHT" for QEMU's); false when edid is not one (short, bad header,
 * letters out of range). */
bool edid_manufacturer(const uint8_t *edid, size_t len, char out[4]);
