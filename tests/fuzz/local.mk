# tests/fuzz: libFuzzer targets, built with clang outside the normal build.
#   make fuzz FUZZ_SECONDS=60        build and run every target
#   make fuzz-build                  build only (tests/fuzz/out/)
# Each target is tests/fuzz/fuzz-NAME.c with a seed corpus in
# tests/fuzz/corpus/NAME/; findings land in tests/fuzz/out/NAME-crashes/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = decoder ipc \
	validate-mouse-state validate-monitors-config validate-reply \
	validate-clipboard validate-display-config validate-capabilities \
	validate-clipboard-grab validate-clipboard-request \
	validate-clipboard-release validate-xfer-start validate-xfer-status \
	validate-xfer-data validate-client-disconnected \
	validate-max-clipboard validate-volume-sync \
	validate-graphics-device-info
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/protocol
FUZZ_LIB_SOURCES = $(filter %.c,$(protocol_libvdp_a_SOURCES))

EXTRA_DIST += tests/fuzz

.PHONY: fuzz fuzz-build
fuzz-build:
	@mkdir -p tests/fuzz/out
	@for t in $(FUZZ_TARGETS); do \
	  src=$(top_srcdir)/tests/fuzz/fuzz-$$t.c; \
	  case $$t in validate-*) src=$(top_srcdir)/tests/fuzz/fuzz-validate.c;; esac; \
	  def=$$(echo "$$t" | tr 'a-z-' 'A-Z_'); \
	  echo "  FUZZCC   tests/fuzz/out/$$t"; \
	  $(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_TARGET_$$def=1 -o tests/fuzz/out/$$t $$src \
	    $(addprefix $(top_srcdir)/,$(FUZZ_LIB_SOURCES)) || exit 1; \
	done

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p tests/fuzz/out/$$t-corpus tests/fuzz/out/$$t-crashes; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  tests/fuzz/out/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=tests/fuzz/out/$$t-crashes/ \
	    tests/fuzz/out/$$t-corpus $(top_srcdir)/tests/fuzz/corpus/$$t \
	    > tests/fuzz/out/$$t.log 2>&1 || { echo "FINDING in $$t:"; tail -40 tests/fuzz/out/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' tests/fuzz/out/$$t.log || true; \
	done
	@echo "fuzz: all $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_SECONDS) s with no finding"
