# windows/vdservice/: vdservice.exe, the service that keeps vdagent.exe
# running in the active console session, and its tests.  Included by
# windows/local.mk; paths are relative to the top directory.

if OS_WINDOWS
VDS_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/windows/vdservice \
	-DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601

# The parts without Win32 calls, unit-tested on their own.
noinst_LIBRARIES += windows/vdservice/libvds-pure.a
windows_vdservice_libvds_pure_a_SOURCES = \
	windows/vdservice/policy.h \
	windows/vdservice/policy.c \
	windows/vdservice/options.h \
	windows/vdservice/options.c \
	windows/vdservice/agent-command.h \
	windows/vdservice/agent-command.c
windows_vdservice_libvds_pure_a_CPPFLAGS = $(VDS_CPPFLAGS)

bin_PROGRAMS += windows/vdservice/vdservice
windows_vdservice_vdservice_SOURCES = \
	windows/vdservice/main.c \
	windows/vdservice/log.h \
	windows/vdservice/log.c \
	windows/vdservice/agent-stop.h \
	windows/vdservice/agent-launch.h \
	windows/vdservice/agent-launch.c \
	windows/vdservice/service-config.h \
	windows/vdservice/service-config.c \
	windows/vdservice/service.h \
	windows/vdservice/service.c
windows_vdservice_vdservice_CPPFLAGS = $(VDS_CPPFLAGS)
windows_vdservice_vdservice_LDFLAGS = $(AM_LDFLAGS) -municode
windows_vdservice_vdservice_LDADD = windows/vdservice/libvds-pure.a \
	-lwtsapi32 -luserenv -lshell32 -lole32 -luuid -ladvapi32

# Tests (run under wine by tests/windows/test-win-service*.py):
# the pure logic as TAP, a stand-in agent, and a probe of the SCM and
# of processes (wine's sc.exe has no qc, its tasklist.exe lists nothing).
noinst_PROGRAMS += \
	tests/windows/test-win-service-logic \
	tests/windows/test-win-service-agent \
	tests/windows/test-win-service-probe
tests_windows_test_win_service_logic_SOURCES = \
	tests/windows/test-win-service-logic.c
tests_windows_test_win_service_logic_CPPFLAGS = $(VDS_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_windows_test_win_service_logic_LDADD = windows/vdservice/libvds-pure.a
tests_windows_test_win_service_agent_SOURCES = \
	tests/windows/test-win-service-agent.c
tests_windows_test_win_service_agent_CPPFLAGS = $(VDS_CPPFLAGS)
tests_windows_test_win_service_probe_SOURCES = \
	tests/windows/test-win-service-probe.c
tests_windows_test_win_service_probe_LDADD = -lmsi -ladvapi32
endif

EXTRA_DIST += \
	windows/vdservice/README.md \
	tests/windows/test-win-service.py \
	tests/windows/test-win-service-msi.py \
	tests/windows/test-win-service-unit.py \
	tests/windows/win_service_harness.py
