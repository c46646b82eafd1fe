# tests/release: vdagentd and vdagent compiled again at -O2 without
# sanitizers, whatever the tree's configure options.  The QEMU guest runs
# them (no ASan runtime in the initramfs) and the benchmarks measure them
# (figures of a release build, also in a --enable-sanitizers tree).
if BUILD_DAEMON
check_PROGRAMS += tests/release/vdagentd
tests_release_vdagentd_SOURCES = vdagentd/main.c \
	$(vdagentd_libvdagentd_a_SOURCES) $(protocol_libvdp_a_SOURCES)
tests_release_vdagentd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagentd
tests_release_vdagentd_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS) $(DAEMON_CFLAGS)
tests_release_vdagentd_LDFLAGS =
tests_release_vdagentd_LDADD = $(DAEMON_LIBS)
endif
if BUILD_X11_AGENT
check_PROGRAMS += tests/release/vdagent
tests_release_vdagent_SOURCES = $(vdagent_vdagent_SOURCES) \
	$(vdagent_libvdagent_pure_a_SOURCES) $(protocol_libvdp_a_SOURCES)
tests_release_vdagent_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagent
tests_release_vdagent_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS) $(X11_AGENT_CFLAGS)
tests_release_vdagent_LDFLAGS =
tests_release_vdagent_LDADD = $(X11_AGENT_LIBS) -lm
if BUILD_WAYLAND
# the Wayland backend (vdagent/wayland.mk)
nodist_tests_release_vdagent_SOURCES = $(WL_GENERATED)
tests_release_vdagent_CFLAGS += $(WAYLAND_CFLAGS) -I$(top_builddir)/vdagent
tests_release_vdagent_LDADD += $(WAYLAND_LIBS)
vdagent/tests_release_vdagent-wl-outputs.$(OBJEXT): vdagent/xdg-output-unstable-v1-client-protocol.h
endif
endif
