# vdagent/: the X11 session agent (issue 4).
if BUILD_X11_AGENT
bin_PROGRAMS += vdagent/vdagent
noinst_LIBRARIES += vdagent/libvdagent-pure.a

# The parts that need no X server or GLib, for the unit tests.
vdagent_libvdagent_pure_a_SOURCES = \
	vdagent/mode-cvt.h \
	vdagent/mode-cvt.c \
	vdagent/clipboard-targets.h \
	vdagent/clipboard-targets.c \
	vdagent/clip-cache.h \
	vdagent/clip-cache.c \
	vdagent/edid.h \
	vdagent/edid.c \
	vdagent/options.h \
	vdagent/options.c

vdagent_vdagent_SOURCES = \
	vdagent/main.c \
	vdagent/agent.h \
	vdagent/agent.c \
	vdagent/backend.h \
	vdagent/x11-backend.h \
	vdagent/x11-backend.c \
	vdagent/ipc-client.h \
	vdagent/ipc-client.c \
	vdagent/x11-source.h \
	vdagent/x11-source.c \
	vdagent/device-info.h \
	vdagent/device-info.c \
	vdagent/x11-randr.h \
	vdagent/x11-randr.c \
	vdagent/x11-randr-private.h \
	vdagent/x11-randr-follow.c \
	vdagent/x11-selection.h \
	vdagent/x11-selection-private.h \
	vdagent/x11-selection.c \
	vdagent/x11-selection-read.c \
	vdagent/x11-selection-serve.c \
	vdagent/file-xfer.h \
	vdagent/file-xfer.c
vdagent_vdagent_CFLAGS = $(AM_CFLAGS) $(X11_AGENT_CFLAGS)
vdagent_vdagent_LDADD = vdagent/libvdagent-pure.a protocol/libvdp.a \
	$(X11_AGENT_LIBS) -lm

dist_man_MANS += vdagent/vdagent.1
endif
include $(top_srcdir)/vdagent/wayland.mk
