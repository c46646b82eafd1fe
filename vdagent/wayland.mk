# vdagent/: the Wayland backend of the session agent (issue 13), included
# from vdagent/local.mk.  Protocol code is generated at build time from the
# XML that Debian's wayland-protocols installs.
if BUILD_X11_AGENT
# vdagent/clip-cache.c, shared by the X11 and Wayland clipboards
check_PROGRAMS += tests/unit/test-agent-clip-cache
TESTS += tests/unit/test-agent-clip-cache
tests_unit_test_agent_clip_cache_SOURCES = tests/unit/test-agent-clip-cache.c \
	tests/unit/tap.h
tests_unit_test_agent_clip_cache_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagent
tests_unit_test_agent_clip_cache_LDADD = vdagent/libvdagent-pure.a protocol/libvdp.a

if BUILD_WAYLAND
WL_XDG_OUTPUT_XML = $(WAYLAND_PROTOCOLS_DIR)/unstable/xdg-output/xdg-output-unstable-v1.xml
WL_GENERATED = \
	vdagent/xdg-output-unstable-v1-client-protocol.h \
	vdagent/xdg-output-unstable-v1-protocol.c

vdagent/%-client-protocol.h: $(WAYLAND_PROTOCOLS_DIR)/unstable/xdg-output/%.xml
	$(AM_V_GEN)$(MKDIR_P) vdagent && $(WAYLAND_SCANNER) client-header $< $@
vdagent/%-protocol.c: $(WAYLAND_PROTOCOLS_DIR)/unstable/xdg-output/%.xml
	$(AM_V_GEN)$(MKDIR_P) vdagent && $(WAYLAND_SCANNER) private-code $< $@

if HAVE_KDE_OUTPUT
# KWin's output management, from Debian's plasma-wayland-protocols
WL_GENERATED += \
	vdagent/kde-output-device-v2-client-protocol.h \
	vdagent/kde-output-device-v2-protocol.c \
	vdagent/kde-output-management-v2-client-protocol.h \
	vdagent/kde-output-management-v2-protocol.c
vdagent/kde-%-client-protocol.h: $(PLASMA_WAYLAND_PROTOCOLS_DIR)/kde-%.xml
	$(AM_V_GEN)$(MKDIR_P) vdagent && $(WAYLAND_SCANNER) client-header $< $@
vdagent/kde-%-protocol.c: $(PLASMA_WAYLAND_PROTOCOLS_DIR)/kde-%.xml
	$(AM_V_GEN)$(MKDIR_P) vdagent && $(WAYLAND_SCANNER) private-code $< $@
vdagent_vdagent_SOURCES += vdagent/wl-kde-output.h vdagent/wl-kde-output.c
WL_KDE_PROTOCOL_H = vdagent/kde-output-device-v2-client-protocol.h \
	vdagent/kde-output-management-v2-client-protocol.h
vdagent/vdagent_vdagent-wl-kde-output.$(OBJEXT): $(WL_KDE_PROTOCOL_H)
vdagent/tests_release_vdagent-wl-kde-output.$(OBJEXT): $(WL_KDE_PROTOCOL_H)
endif

vdagent_vdagent_SOURCES += \
	vdagent/wl-source.h \
	vdagent/wl-source.c \
	vdagent/wl-layout.h \
	vdagent/wl-layout.c \
	vdagent/wl-outputs.h \
	vdagent/wl-outputs.c \
	vdagent/wl-backend.h \
	vdagent/wl-backend.c \
	vdagent/wl-data-control-protocol.h \
	vdagent/wl-data-control-protocol.c \
	vdagent/wl-clip-mime.h \
	vdagent/wl-clip-mime.c \
	vdagent/wl-clip-pipe.h \
	vdagent/wl-clip-pipe.c \
	vdagent/wl-clipboard.h \
	vdagent/wl-clipboard.c \
	vdagent/wl-monitors.h \
	vdagent/wl-monitors.c \
	vdagent/wl-sway-ipc.h \
	vdagent/wl-sway-ipc.c \
	vdagent/wl-mutter.h \
	vdagent/wl-mutter.c \
	vdagent/wl-wlr-output-protocol.h \
	vdagent/wl-wlr-output-protocol.c \
	vdagent/wl-wlr-output.h \
	vdagent/wl-wlr-output.c
nodist_vdagent_vdagent_SOURCES = $(WL_GENERATED)
vdagent_vdagent_CFLAGS += $(WAYLAND_CFLAGS) -I$(top_builddir)/vdagent
vdagent_vdagent_LDADD += $(WAYLAND_LIBS)
CLEANFILES += $(WL_GENERATED)
# the generated header before the files that include it
vdagent/vdagent_vdagent-wl-outputs.$(OBJEXT): vdagent/xdg-output-unstable-v1-client-protocol.h

check_PROGRAMS += tests/unit/test-agent-wl-layout
TESTS += tests/unit/test-agent-wl-layout tests/e2e/test-agent-wl-sway \
	tests/e2e/test-agent-wl-clipboard tests/e2e/test-agent-wl-mutter \
	tests/e2e/test-agent-wl-mutter-xwayland tests/e2e/test-agent-wl-kwin
if BUILD_DAEMON
TESTS += tests/e2e/test-e2e-wl-sway
endif
if HAVE_WAYLAND_SERVER
# a compositor of our own for wlr-output-management (sway has no modes)
check_PROGRAMS += tests/e2e/wl-fake-output-manager
TESTS += tests/e2e/test-agent-wl-wlr-output
tests_e2e_wl_fake_output_manager_SOURCES = \
	tests/e2e/wl-fake-output-manager.c \
	tests/e2e/wl-fake-run.h tests/e2e/wl-fake-run.c \
	vdagent/wl-wlr-output-protocol.h vdagent/wl-wlr-output-protocol.c
tests_e2e_wl_fake_output_manager_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/vdagent
tests_e2e_wl_fake_output_manager_CFLAGS = $(AM_CFLAGS) $(WAYLAND_SERVER_CFLAGS)
tests_e2e_wl_fake_output_manager_LDADD = $(WAYLAND_SERVER_LIBS)
# ... and one for ext-data-control (no compositor in Debian 12 has it)
check_PROGRAMS += tests/e2e/wl-fake-data-control
TESTS += tests/e2e/test-agent-wl-ext-data-control
tests_e2e_wl_fake_data_control_SOURCES = \
	tests/e2e/wl-fake-data-control.c \
	tests/e2e/wl-fake-run.h tests/e2e/wl-fake-run.c \
	vdagent/wl-data-control-protocol.h vdagent/wl-data-control-protocol.c
tests_e2e_wl_fake_data_control_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/vdagent
tests_e2e_wl_fake_data_control_CFLAGS = $(AM_CFLAGS) $(WAYLAND_SERVER_CFLAGS)
tests_e2e_wl_fake_data_control_LDADD = $(WAYLAND_SERVER_LIBS)
endif
tests_unit_test_agent_wl_layout_SOURCES = tests/unit/test-agent-wl-layout.c \
	tests/unit/tap.h vdagent/wl-layout.h vdagent/wl-layout.c \
	vdagent/wl-monitors.h vdagent/wl-monitors.c \
	vdagent/wl-clip-mime.h vdagent/wl-clip-mime.c
tests_unit_test_agent_wl_layout_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagent
tests_unit_test_agent_wl_layout_LDADD = protocol/libvdp.a -lm
endif
endif
EXTRA_DIST += vdagent/wayland.mk vdagent/WAYLAND.md tests/e2e/wltest.py \
	tests/bench/bench-wl-clipboard.py tests/e2e/test-agent-wl-sway \
	tests/e2e/test-agent-wl-clipboard tests/e2e/test-agent-wl-mutter \
	tests/e2e/test-agent-wl-mutter-xwayland tests/e2e/test-agent-wl-kwin tests/e2e/test-e2e-wl-sway \
	tests/e2e/test-agent-wl-wlr-output tests/e2e/test-agent-wl-ext-data-control
