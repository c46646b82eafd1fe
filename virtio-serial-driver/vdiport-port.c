// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * The shared port layer, compiled into vdagent_vdiport as its own object
 * (one source, two modules: vdagent_vserial links vserial-port.o).
 */
#include "vserial-port.c"
