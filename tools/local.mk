# tools/: vdagent-dump, the port stream decoder for people.
if !OS_WINDOWS
bin_PROGRAMS += tools/vdagent-dump
dist_man_MANS += tools/vdagent-dump.1
endif
tools_vdagent_dump_SOURCES = \
	tools/vdagent-dump.c \
	tools/dump-stream.h \
	tools/dump-stream.c \
	tools/dump-message.h \
	tools/dump-message.c
tools_vdagent_dump_LDADD = protocol/libvdp.a
