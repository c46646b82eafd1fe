# tools/: vdagent-dump, the port stream decoder for people.
if !OS_WINDOWS
bin_PROGRAMS += tools/vdagent-dump
endif
tools_vdagent_dump_SOURCES = tools/vdagent-dump.c
tools_vdagent_dump_LDADD = protocol/libvdp.a
