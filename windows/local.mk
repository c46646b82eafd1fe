# windows/: vdagent.exe (and, from their own fragments, vdservice.exe and the
# MSI), cross-built with mingw-w64: ../configure --host=x86_64-w64-mingw32.
# The Windows unit tests and test helpers are .exe programs built by "make"
# too; they run under wine (tests/windows/run-tests.sh runs every
# tests/windows/test-win-* script), not through "make check".

include windows/vdagent/features.mk

if OS_WINDOWS
# The parts without Win32 calls, unit-tested on their own.
noinst_LIBRARIES += windows/vdagent/libwa-pure.a
windows_vdagent_libwa_pure_a_SOURCES = \
	windows/vdagent/options.h \
	windows/vdagent/options.c \
	windows/vdagent/mouse-plan.h \
	windows/vdagent/mouse-plan.c \
	windows/vdagent/display-plan.h \
	windows/vdagent/display-plan.c

bin_PROGRAMS += windows/vdagent/vdagent
windows_vdagent_vdagent_SOURCES = \
	windows/vdagent/main.c \
	windows/vdagent/agent.h \
	windows/vdagent/agent-core.h \
	windows/vdagent/agent.c \
	windows/vdagent/log.h \
	windows/vdagent/log.c \
	windows/vdagent/port.h \
	windows/vdagent/port.c \
	windows/vdagent/port-tcp.c \
	windows/vdagent/port-virtio.c \
	windows/vdagent/mouse.h \
	windows/vdagent/mouse.c \
	windows/vdagent/displays.h \
	windows/vdagent/displays.c \
	$(windows_vdagent_feature_sources)
windows_vdagent_vdagent_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/windows/vdagent \
	-DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601
windows_vdagent_vdagent_LDFLAGS = $(AM_LDFLAGS) -municode
windows_vdagent_vdagent_LDADD = windows/vdagent/libwa-pure.a protocol/libvdp.a \
	-lws2_32 -lwtsapi32 -lshell32 -lole32 -luuid -luser32 -lgdi32

# Unit tests of the pure parts (TAP, run under wine).
WA_UNIT_LDADD = windows/vdagent/libwa-pure.a protocol/libvdp.a
WA_UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/windows/vdagent \
	-I$(top_srcdir)/tests/unit
noinst_PROGRAMS += \
	tests/windows/test-wa-options \
	tests/windows/test-wa-mouse-plan \
	tests/windows/test-wa-display-plan \
	tests/windows/wa-mouse-probe \
	tests/windows/wa-pipe-relay \
	tests/windows/wa-stop-launcher
tests_windows_wa_stop_launcher_SOURCES = tests/windows/wa-stop-launcher.c
tests_windows_wa_stop_launcher_LDFLAGS = $(AM_LDFLAGS) -municode
tests_windows_wa_pipe_relay_SOURCES = tests/windows/wa-pipe-relay.c
tests_windows_wa_pipe_relay_LDADD = -lws2_32
tests_windows_wa_mouse_probe_SOURCES = tests/windows/wa-mouse-probe.c
tests_windows_wa_mouse_probe_LDADD = -luser32
tests_windows_test_wa_options_SOURCES = tests/windows/test-wa-options.c
tests_windows_test_wa_options_CPPFLAGS = $(WA_UNIT_CPPFLAGS)
tests_windows_test_wa_options_LDADD = $(WA_UNIT_LDADD)
tests_windows_test_wa_mouse_plan_SOURCES = tests/windows/test-wa-mouse-plan.c
tests_windows_test_wa_mouse_plan_CPPFLAGS = $(WA_UNIT_CPPFLAGS)
tests_windows_test_wa_mouse_plan_LDADD = $(WA_UNIT_LDADD)
tests_windows_test_wa_display_plan_SOURCES = tests/windows/test-wa-display-plan.c
tests_windows_test_wa_display_plan_CPPFLAGS = $(WA_UNIT_CPPFLAGS)
tests_windows_test_wa_display_plan_LDADD = $(WA_UNIT_LDADD)
endif

EXTRA_DIST += windows/README.md \
	tests/windows/wineprefix.sh \
	tests/windows/winetest.py \
	tests/windows/run-tests.sh \
	tests/windows/test-win-agent-unit \
	tests/windows/test-win-agent-e2e \
	tests/windows/test-win-agent-hostile \
	tests/windows/test-win-agent-virtio \
	tests/windows/test-win-agent-stop

include windows/vdservice/local.mk
include windows/installer/local.mk
