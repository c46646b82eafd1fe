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
	protocol/vdp-validate-monitors.c \
	protocol/vdp-validate-clipboard.c \
	protocol/vdp-validate-xfer.c \
	protocol/vdp-keyfile.c \
	protocol/vdp-text.h \
	protocol/vdp-text.c \
	protocol/vdp-filename.h \
	protocol/vdp-filename.c \
	protocol/vdp-grab-serial.h \
	protocol/vdp-grab-serial.c \
	protocol/vdp-build.h \
	protocol/vdp-build.c \
	protocol/vdp-ipc.h \
	protocol/vdp-ipc.c \
	protocol/vdp-ipc-decoder.c \
	protocol/vdp-ipc-payload.c
