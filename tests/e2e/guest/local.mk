# tests/e2e/guest: the agent stack inside a QEMU guest with a Debian kernel.
# The guest runs the -O2 builds of vdagentd and vdagent without sanitizers
# from tests/release.mk (an ASan runtime in the initramfs would double its
# size and the guest's memory), plus a small evdev reader.
if BUILD_DAEMON
if BUILD_X11_AGENT
check_PROGRAMS += tests/e2e/guest/evdev-reader
TESTS += tests/e2e/guest/test-guest
# the systemd boot: our .deb in a Debian root with systemd and logind
TESTS += tests/e2e/guest/test-guest-systemd

tests_e2e_guest_evdev_reader_SOURCES = tests/e2e/guest/evdev-reader.c
tests_e2e_guest_evdev_reader_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS)
tests_e2e_guest_evdev_reader_LDFLAGS =
endif
endif
EXTRA_DIST += tests/e2e/guest/test-guest tests/e2e/guest/build-guest.sh \
	tests/e2e/guest/init tests/e2e/guest/vport-hotplug \
	tests/e2e/guest/guest.py \
	tests/e2e/guest/test-guest-systemd tests/e2e/guest/boot_systemd.py \
	tests/e2e/guest/build-image.sh tests/e2e/guest/systemd-console \
	tests/e2e/guest/systemd-initrd-init
CLEANFILES += tests/e2e/guest/out/vmlinuz tests/e2e/guest/out/initramfs.cpio
