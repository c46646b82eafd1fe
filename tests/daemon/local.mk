# tests/daemon: vdagentd's unit tests (routing over a socketpair port) and
# integration tests of the real binary (Python 3, TAP).
if BUILD_DAEMON

DAEMON_TEST_LDADD = vdagentd/libvdagentd.a protocol/libvdp.a $(DAEMON_LIBS)
check_PROGRAMS += tests/daemon/test-router tests/daemon/test-outq \
	tests/daemon/test-port
TESTS += tests/daemon/test-router tests/daemon/test-outq tests/daemon/test-port \
	tests/daemon/test-vdagentd.py

tests_daemon_test_router_SOURCES = tests/daemon/test-router.c tests/unit/tap.h
tests_daemon_test_router_CFLAGS = $(AM_CFLAGS) $(DAEMON_CFLAGS) -I$(top_srcdir)/vdagentd -I$(top_srcdir)/tests/unit
tests_daemon_test_router_LDADD = $(DAEMON_TEST_LDADD)
tests_daemon_test_outq_SOURCES = tests/daemon/test-outq.c tests/unit/tap.h
tests_daemon_test_outq_CFLAGS = $(AM_CFLAGS) $(DAEMON_CFLAGS) -I$(top_srcdir)/vdagentd -I$(top_srcdir)/tests/unit
tests_daemon_test_outq_LDADD = $(DAEMON_TEST_LDADD)
tests_daemon_test_port_SOURCES = tests/daemon/test-port.c tests/unit/tap.h
tests_daemon_test_port_CFLAGS = $(AM_CFLAGS) $(DAEMON_CFLAGS) -I$(top_srcdir)/vdagentd -I$(top_srcdir)/tests/unit
tests_daemon_test_port_LDADD = $(DAEMON_TEST_LDADD)
endif
EXTRA_DIST += tests/daemon/test-vdagentd.py tests/daemon/vdproto.py \
	tests/daemon/test-vdagentd-monitors.py \
	tests/daemon/fake-logind.py
