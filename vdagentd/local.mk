# vdagentd/: the system daemon (issue 3).
if BUILD_DAEMON
sbin_PROGRAMS += vdagentd/vdagentd
noinst_LIBRARIES += vdagentd/libvdagentd.a

# Everything but main.c, so that unit tests link the real modules.
vdagentd_libvdagentd_a_SOURCES = \
	vdagentd/options.h vdagentd/options.c \
	vdagentd/fdwatch.h vdagentd/fdwatch.c \
	vdagentd/outq.h vdagentd/outq.c \
	vdagentd/record.h vdagentd/record.c \
	vdagentd/port.h vdagentd/port.c \
	vdagentd/port-chardev.c vdagentd/port-socket.c \
	vdagentd/port-udev.h vdagentd/port-udev.c \
	vdagentd/session.h vdagentd/session.c \
	vdagentd/session-logind.c vdagentd/session-single.c \
	vdagentd/ipc-server.h vdagentd/ipc-server.c \
	vdagentd/router.h vdagentd/router.c vdagentd/route.h \
	vdagentd/route-monitors.c vdagentd/route-clipboard.c \
	vdagentd/route-xfer.c vdagentd/route-misc.c \
	vdagentd/mouse.h vdagentd/mouse.c \
	vdagentd/mouse-queue.h vdagentd/mouse-queue.c \
	vdagentd/uinput.h vdagentd/uinput.c vdagentd/uinput-backend.h \
	vdagentd/uinput-real.c vdagentd/uinput-fake.c
vdagentd_libvdagentd_a_CFLAGS = $(AM_CFLAGS) $(DAEMON_CFLAGS)

vdagentd_vdagentd_SOURCES = vdagentd/main.c
vdagentd_vdagentd_CFLAGS = $(AM_CFLAGS) $(DAEMON_CFLAGS)
vdagentd_vdagentd_LDADD = vdagentd/libvdagentd.a protocol/libvdp.a $(DAEMON_LIBS)

dist_man_MANS += vdagentd/vdagentd.8
endif
