# windows/vdagent/features.mk: the agent's feature modules (clipboard, file
# transfer), included by windows/local.mk.  vdagent.exe is built with
# $(windows_vdagent_feature_sources).

windows_vdagent_xfer_sources = \
	windows/vdagent/file-xfer.h \
	windows/vdagent/file-xfer.c \
	windows/vdagent/file-xfer-state.h \
	windows/vdagent/file-xfer-state.c \
	windows/vdagent/file-xfer-disk.h \
	windows/vdagent/file-xfer-disk.c

windows_vdagent_clipboard_sources = \
	windows/vdagent/clipboard.h \
	windows/vdagent/clipboard.c \
	windows/vdagent/clipboard-state.h \
	windows/vdagent/clipboard-state.c \
	windows/vdagent/clipboard-io.h \
	windows/vdagent/clipboard-io.c \
	windows/vdagent/clipboard-data.h \
	windows/vdagent/clipboard-data.c \
	$(windows_vdagent_clipboard_pure)

# What the clipboard tests use without the Windows clipboard.
windows_vdagent_clipboard_pure = \
	windows/vdagent/clipboard-format.h \
	windows/vdagent/clipboard-format.c \
	windows/vdagent/clipboard-dib.h \
	windows/vdagent/clipboard-dib.c \
	windows/vdagent/clipboard-image.h \
	windows/vdagent/clipboard-image.c

windows_vdagent_feature_sources = \
	windows/vdagent/wide.h \
	windows/vdagent/wide.c \
	$(windows_vdagent_xfer_sources) \
	$(windows_vdagent_clipboard_sources)

# Unit tests of the feature modules: TAP .exe programs run under wine,
# listed in $(windows_vdagent_feature_tests) for the test runner.  They
# talk to a fake core (tests/windows/win-fake-core.c) that records what
# the module sends.
windows_vdagent_feature_tests = \
	tests/windows/test-win-filename \
	tests/windows/test-win-xfer \
	tests/windows/test-win-clipboard-data \
	tests/windows/test-win-clipboard

# The scripts that run them under wine and the end-to-end tests (Xspice,
# spice-gtk, vdagent.exe under wine), for the Windows test runner; each
# takes WIN_BUILDDIR (the mingw build) and prints TAP.
windows_vdagent_feature_scripts = \
	tests/windows/test-win-features \
	tests/windows/test-win-xfer-e2e \
	tests/windows/test-win-clipboard-e2e
EXTRA_DIST += $(windows_vdagent_feature_scripts)

if OS_WINDOWS
WA_FEATURE_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/windows/vdagent \
	-I$(top_srcdir)/tests/unit -I$(top_srcdir)/tests/windows \
	-DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601
WA_FEATURE_TEST_LDADD = protocol/libvdp.a -lwtsapi32 -lshell32 -lole32 -luuid \
	-luser32 -lgdi32

noinst_PROGRAMS += $(windows_vdagent_feature_tests)

# protocol/vdp-filename.c under the Windows rules, the same test source
# as on Linux
tests_windows_test_win_filename_SOURCES = tests/unit/test-agent-filename.c
tests_windows_test_win_filename_CPPFLAGS = $(WA_FEATURE_TEST_CPPFLAGS)
tests_windows_test_win_filename_LDADD = $(WA_FEATURE_TEST_LDADD)

tests_windows_test_win_xfer_SOURCES = tests/windows/test-win-xfer.c \
	tests/windows/win-fake-core.h tests/windows/win-fake-core.c \
	windows/vdagent/log.h windows/vdagent/log.c \
	windows/vdagent/wide.h windows/vdagent/wide.c \
	$(windows_vdagent_xfer_sources)
tests_windows_test_win_xfer_CPPFLAGS = $(WA_FEATURE_TEST_CPPFLAGS)
tests_windows_test_win_xfer_LDADD = $(WA_FEATURE_TEST_LDADD)

# conversions: text, DIB <-> BMP, PNG through WIC
tests_windows_test_win_clipboard_data_SOURCES = \
	tests/windows/test-win-clipboard-data.c \
	windows/vdagent/wide.h windows/vdagent/wide.c \
	windows/vdagent/clipboard-data.h windows/vdagent/clipboard-data.c \
	windows/vdagent/clipboard-state.h windows/vdagent/clipboard-state.c \
	$(windows_vdagent_clipboard_pure)
tests_windows_test_win_clipboard_data_CPPFLAGS = $(WA_FEATURE_TEST_CPPFLAGS)
tests_windows_test_win_clipboard_data_LDADD = $(WA_FEATURE_TEST_LDADD)

# the module on the real (wine) clipboard, with a fake core
tests_windows_test_win_clipboard_SOURCES = tests/windows/test-win-clipboard.c \
	tests/windows/win-fake-core.h tests/windows/win-fake-core.c \
	windows/vdagent/log.h windows/vdagent/log.c \
	windows/vdagent/wide.h windows/vdagent/wide.c \
	$(windows_vdagent_clipboard_sources)
tests_windows_test_win_clipboard_CPPFLAGS = $(WA_FEATURE_TEST_CPPFLAGS)
tests_windows_test_win_clipboard_LDADD = $(WA_FEATURE_TEST_LDADD)
endif
