# protocol/: the wire protocol and the daemon<->agent IPC, libc only.
noinst_LIBRARIES += protocol/libvdp.a
protocol_libvdp_a_SOURCES = \
	protocol/vdp-wire.h \
	protocol/vdp-util.h \
	protocol/vdp-decoder.h \
	protocol/vdp-decoder.c \
	protocol/vdp-encoder.h \
	protocol/vdp-encoder.c \
	protocol/vdp-caps.h \
	protocol/vdp-caps.c \
	protocol/vdp-validate.h \
	protocol/vdp-validate.c \
	protocol/vdp-build.h \
	protocol/vdp-build.c \
	protocol/vdp-ipc.h \
	protocol/vdp-ipc.c
