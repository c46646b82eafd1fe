# tests/unit: TAP unit tests for protocol/ and the tools.
UNIT_LDADD = protocol/libvdp.a

check_PROGRAMS += \
	tests/unit/test-decoder \
	tests/unit/test-encoder \
	tests/unit/test-caps \
	tests/unit/test-validate \
	tests/unit/test-build \
	tests/unit/test-ipc \
	tests/unit/test-agent-filename \
	tests/unit/test-grab-serial
TESTS += \
	tests/unit/test-decoder \
	tests/unit/test-encoder \
	tests/unit/test-caps \
	tests/unit/test-validate \
	tests/unit/test-build \
	tests/unit/test-ipc \
	tests/unit/test-agent-filename \
	tests/unit/test-grab-serial \
	tests/unit/test-dump.sh

tests_unit_test_decoder_SOURCES = tests/unit/test-decoder.c tests/unit/tap.h
tests_unit_test_decoder_LDADD = $(UNIT_LDADD)
tests_unit_test_encoder_SOURCES = tests/unit/test-encoder.c tests/unit/tap.h
tests_unit_test_encoder_LDADD = $(UNIT_LDADD)
tests_unit_test_caps_SOURCES = tests/unit/test-caps.c tests/unit/tap.h
tests_unit_test_caps_LDADD = $(UNIT_LDADD)
tests_unit_test_validate_SOURCES = tests/unit/test-validate.c tests/unit/tap.h
tests_unit_test_validate_LDADD = $(UNIT_LDADD)
tests_unit_test_build_SOURCES = tests/unit/test-build.c tests/unit/tap.h
tests_unit_test_build_LDADD = $(UNIT_LDADD)
tests_unit_test_ipc_SOURCES = tests/unit/test-ipc.c tests/unit/tap.h
tests_unit_test_ipc_LDADD = $(UNIT_LDADD)
# protocol/vdp-filename.c, shared by the Linux and Windows agents
tests_unit_test_agent_filename_SOURCES = tests/unit/test-agent-filename.c tests/unit/tap.h
tests_unit_test_agent_filename_LDADD = $(UNIT_LDADD)
tests_unit_test_grab_serial_SOURCES = tests/unit/test-grab-serial.c tests/unit/tap.h
tests_unit_test_grab_serial_LDADD = $(UNIT_LDADD)

if HAVE_SPICE_PROTOCOL
check_PROGRAMS += tests/unit/test-abi
TESTS += tests/unit/test-abi
tests_unit_test_abi_SOURCES = tests/unit/test-abi.c tests/unit/tap.h
tests_unit_test_abi_CFLAGS = $(AM_CFLAGS) $(SPICE_PROTOCOL_CFLAGS)
endif

EXTRA_DIST += tests/unit/test-dump.sh tests/data tests/check-mingw.sh

if BUILD_DAEMON
# vdagentd/mouse.c and its uinput backends (libc only), with write() counted.
check_PROGRAMS += tests/unit/test-mouse
TESTS += tests/unit/test-mouse
tests_unit_test_mouse_SOURCES = tests/unit/test-mouse.c tests/unit/tap.h \
	vdagentd/mouse.h vdagentd/mouse.c vdagentd/mouse-queue.h vdagentd/mouse-queue.c \
	vdagentd/uinput.h vdagentd/uinput.c \
	vdagentd/uinput-backend.h vdagentd/uinput-real.c vdagentd/uinput-fake.c
tests_unit_test_mouse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagentd
tests_unit_test_mouse_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=write
endif

# vdagent (X11 agent): pure parts as unit tests, X tests with a fake daemon.
if BUILD_X11_AGENT
AGENT_UNIT_LDADD = vdagent/libvdagent-pure.a protocol/libvdp.a -lm
check_PROGRAMS += \
	tests/unit/test-agent-cvt \
	tests/unit/test-agent-convert \
	tests/unit/test-agent-options \
	tests/unit/test-agent-devinfo \
	tests/unit/test-agent-edid \
	tests/e2e/xsel-multiple
TESTS += \
	tests/unit/test-agent-manpage.sh \
	tests/unit/test-agent-devinfo \
	tests/unit/test-agent-cvt \
	tests/unit/test-agent-convert \
	tests/unit/test-agent-options \
	tests/unit/test-agent-edid \
	tests/e2e/test-agent-randr \
	tests/e2e/test-agent-clipboard \
	tests/e2e/test-agent-xfer \
	tests/e2e/test-agent-lifecycle \
	tests/e2e/test-agent-hostile
if BUILD_DAEMON
TESTS += tests/e2e/test-e2e-xspice tests/e2e/test-e2e-xspice-launcher
endif
tests_unit_test_agent_cvt_SOURCES = tests/unit/test-agent-cvt.c tests/unit/tap.h
tests_unit_test_agent_cvt_LDADD = $(AGENT_UNIT_LDADD)
tests_unit_test_agent_convert_SOURCES = tests/unit/test-agent-convert.c tests/unit/tap.h
tests_unit_test_agent_convert_LDADD = $(AGENT_UNIT_LDADD)
tests_unit_test_agent_options_SOURCES = tests/unit/test-agent-options.c tests/unit/tap.h
tests_unit_test_agent_options_LDADD = $(AGENT_UNIT_LDADD)
tests_unit_test_agent_edid_SOURCES = tests/unit/test-agent-edid.c tests/unit/tap.h
tests_unit_test_agent_edid_LDADD = $(AGENT_UNIT_LDADD)
tests_e2e_xsel_multiple_SOURCES = tests/e2e/xsel-multiple.c
tests_e2e_xsel_multiple_CFLAGS = $(AM_CFLAGS) $(X11_AGENT_CFLAGS)
tests_e2e_xsel_multiple_LDADD = $(X11_AGENT_LIBS)
tests_unit_test_agent_devinfo_SOURCES = tests/unit/test-agent-devinfo.c \
	tests/unit/tap.h vdagent/device-info.h vdagent/device-info.c
tests_unit_test_agent_devinfo_CFLAGS = $(AM_CFLAGS) $(X11_AGENT_CFLAGS)
tests_unit_test_agent_devinfo_LDADD = $(X11_AGENT_LIBS)
endif
EXTRA_DIST += tests/tap.py tests/e2e/vdatest.py tests/e2e/spiceclient.py \
	tests/e2e/test-agent-randr tests/e2e/test-agent-clipboard \
	tests/e2e/test-agent-xfer tests/e2e/test-e2e-xspice \
	tests/e2e/xsel-multiple.c tests/unit/test-agent-manpage.sh \
	tests/e2e/test-agent-lifecycle tests/e2e/test-e2e-xspice-launcher \
	tests/e2e/test-agent-hostile
include $(top_srcdir)/tests/daemon/local.mk
include $(top_srcdir)/tests/e2e/guest/local.mk
