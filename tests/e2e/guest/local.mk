# tests/e2e/guest: the agent stack inside a QEMU guest with a Debian kernel.
# The guest gets its own copies of vdagentd and vdagent, built at -O2 without
# sanitizers (an ASan runtime in the initramfs would double its size and the
# guest's memory), plus a small evdev reader.
if BUILD_DAEMON
if BUILD_X11_AGENT
check_PROGRAMS += tests/e2e/guest/vdagentd tests/e2e/guest/vdagent \
	tests/e2e/guest/evdev-reader
TESTS += tests/e2e/guest/test-guest

tests_e2e_guest_vdagentd_SOURCES = vdagentd/main.c \
	$(vdagentd_libvdagentd_a_SOURCES) $(protocol_libvdp_a_SOURCES)
tests_e2e_guest_vdagentd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagentd
tests_e2e_guest_vdagentd_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS) $(DAEMON_CFLAGS)
tests_e2e_guest_vdagentd_LDFLAGS =
tests_e2e_guest_vdagentd_LDADD = $(DAEMON_LIBS)

tests_e2e_guest_vdagent_SOURCES = $(vdagent_vdagent_SOURCES) \
	$(vdagent_libvdagent_pure_a_SOURCES) $(protocol_libvdp_a_SOURCES)
tests_e2e_guest_vdagent_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagent
tests_e2e_guest_vdagent_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS) $(X11_AGENT_CFLAGS)
tests_e2e_guest_vdagent_LDFLAGS =
tests_e2e_guest_vdagent_LDADD = $(X11_AGENT_LIBS) -lm

tests_e2e_guest_evdev_reader_SOURCES = tests/e2e/guest/evdev-reader.c
tests_e2e_guest_evdev_reader_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS)
tests_e2e_guest_evdev_reader_LDFLAGS =
endif
endif
EXTRA_DIST += tests/e2e/guest/test-guest tests/e2e/guest/build-guest.sh \
	tests/e2e/guest/init tests/e2e/guest/vport-hotplug \
	tests/e2e/guest/guest.py
CLEANFILES += tests/e2e/guest/out/vmlinuz tests/e2e/guest/out/initramfs.cpio
