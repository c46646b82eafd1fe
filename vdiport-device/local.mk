# vdiport-device: the VDI port.  The ring core is tested on the host here;
# the QEMU device is built into Debian's QEMU source by build-qemu.sh and
# the guest boot over it (tests/e2e/guest/boot-vdiport.py) builds it first
# (cached under /var/tmp/vdiport-qemu).
check_PROGRAMS += vdiport-device/test-vdiport-ring
TESTS += vdiport-device/test-vdiport-ring
vdiport_device_test_vdiport_ring_SOURCES = \
	vdiport-device/test-vdiport-ring.c tests/unit/tap.h \
	vdiport-device/vdiport.h \
	vdiport-device/vdiport-ring.h vdiport-device/vdiport-ring.c

if BUILD_DAEMON
if BUILD_X11_AGENT
TESTS += tests/e2e/guest/boot-vdiport.py
endif
endif

EXTRA_DIST += vdiport-device/README.md vdiport-device/vdi-port.c \
	vdiport-device/build-qemu.sh vdiport-device/build-driver.sh \
	tests/e2e/guest/boot-vdiport.py tests/e2e/guest/bench_vdiport.py \
	virtio-serial-driver/vdiport-main.c virtio-serial-driver/vdiport-pci.c \
	virtio-serial-driver/vdiport-port.c
