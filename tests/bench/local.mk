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
