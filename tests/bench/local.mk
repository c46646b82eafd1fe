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

# The daemon and agent next to the reference spice-vdagentd/spice-vdagent,
# using the release builds of tests/release.mk.
EXTRA_DIST += tests/bench/bench-mouse.py tests/bench/bench-agent.py

.PHONY: bench-mouse bench-agent
bench: bench-mouse bench-agent
bench-mouse:
	@if test -z "$(BUILD_DAEMON_TRUE)"; then \
	  $(MAKE) $(AM_MAKEFLAGS) tests/release/vdagentd$(EXEEXT) && \
	  /usr/bin/python3 $(srcdir)/tests/bench/bench-mouse.py \
	    --ours tests/release/vdagentd$(EXEEXT); \
	else echo "bench-mouse: vdagentd not configured, skipped"; fi
bench-agent:
	@if test -z "$(BUILD_DAEMON_TRUE)$(BUILD_X11_AGENT_TRUE)"; then \
	  $(MAKE) $(AM_MAKEFLAGS) tests/release/vdagentd$(EXEEXT) \
	    tests/release/vdagent$(EXEEXT) && \
	  top_builddir=$(abs_top_builddir) BENCH_OURS_DIR=tests/release \
	    /usr/bin/python3 $(srcdir)/tests/bench/bench-agent.py; \
	else echo "bench-agent: vdagentd or vdagent not configured, skipped"; fi

# vdagent.exe under wine beside our Linux pair (not part of "make bench"):
#   make bench-windows WIN_BUILDDIR=/path/to/the/mingw/build
EXTRA_DIST += tests/bench/bench-windows.py tests/bench/wbench-helper.c

.PHONY: bench-windows
bench-windows:
	@if test -z "$(BUILD_DAEMON_TRUE)$(BUILD_X11_AGENT_TRUE)"; then \
	  $(MAKE) $(AM_MAKEFLAGS) tests/release/vdagentd$(EXEEXT) \
	    tests/release/vdagent$(EXEEXT) && \
	  WIN_BUILDDIR=$(WIN_BUILDDIR) top_builddir=$(abs_top_builddir) \
	    BENCH_OURS_DIR=tests/release \
	    /usr/bin/python3 $(srcdir)/tests/bench/bench-windows.py; \
	else echo "bench-windows: vdagentd or vdagent not configured, skipped"; fi
