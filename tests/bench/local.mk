# tests/bench: benchmarks that print figures (never timed assertions).
#   make bench
# Benchmarks compile protocol/ themselves at -O2 without sanitizers, so the
# figures are those of a release build even in a --enable-sanitizers tree.
BENCH_PROTOCOL_SOURCES = protocol/vdp-decoder.c protocol/vdp-encoder.c
EXTRA_PROGRAMS = tests/bench/bench-codec
tests_bench_bench_codec_SOURCES = tests/bench/bench-codec.c $(BENCH_PROTOCOL_SOURCES)
tests_bench_bench_codec_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS)
tests_bench_bench_codec_LDFLAGS =
CLEANFILES += $(EXTRA_PROGRAMS)

.PHONY: bench
bench: tests/bench/bench-codec$(EXEEXT)
	tests/bench/bench-codec$(EXEEXT)

# The mouse path of vdagentd next to the reference spice-vdagentd.  The daemon
# is rebuilt here at -O2 without sanitizers, like the codec benchmark.
if BUILD_DAEMON
EXTRA_PROGRAMS += tests/bench/vdagentd-release
tests_bench_vdagentd_release_SOURCES = vdagentd/main.c \
	$(vdagentd_libvdagentd_a_SOURCES) $(protocol_libvdp_a_SOURCES)
tests_bench_vdagentd_release_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vdagentd
tests_bench_vdagentd_release_CFLAGS = -std=gnu11 -O2 $(WARN_CFLAGS) $(DAEMON_CFLAGS)
tests_bench_vdagentd_release_LDFLAGS =
tests_bench_vdagentd_release_LDADD = $(DAEMON_LIBS)
BENCH_MOUSE_DAEMON = tests/bench/vdagentd-release$(EXEEXT)
endif
EXTRA_DIST += tests/bench/bench-mouse.py

.PHONY: bench-mouse
bench: bench-mouse
bench-mouse: $(BENCH_MOUSE_DAEMON)
	@if test -n "$(BENCH_MOUSE_DAEMON)"; then \
	  /usr/bin/python3 $(srcdir)/tests/bench/bench-mouse.py \
	    --ours $(BENCH_MOUSE_DAEMON); \
	else echo "bench-mouse: vdagentd not configured, skipped"; fi
