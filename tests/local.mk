# tests/unit: TAP unit tests for protocol/ and the tools.
UNIT_LDADD = protocol/libvdp.a

check_PROGRAMS += \
	tests/unit/test-decoder \
	tests/unit/test-encoder \
	tests/unit/test-caps \
	tests/unit/test-validate \
	tests/unit/test-build \
	tests/unit/test-ipc
TESTS += \
	tests/unit/test-decoder \
	tests/unit/test-encoder \
	tests/unit/test-caps \
	tests/unit/test-validate \
	tests/unit/test-build \
	tests/unit/test-ipc \
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
	vdagentd/mouse.h vdagentd/mouse.c vdagentd/uinput.h vdagentd/uinput.c \
	vdagentd/uinput-backend.h vdagentd/uinput-real.c vdagentd/uinput-fake.c
tests_unit_test_mouse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagentd
tests_unit_test_mouse_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=write
endif

include $(top_srcdir)/tests/daemon/local.mk
