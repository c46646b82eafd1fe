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
	validate-graphics-device-info \
	text filename
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/protocol
FUZZ_PROTOCOL_C = $(filter %.c,$(protocol_libvdp_a_SOURCES))

EXTRA_DIST += tests/fuzz

# protocol/ is compiled once for all targets; each target adds its own file.
FUZZ_OBJ_CFLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/protocol
FUZZ_OBJS = $(patsubst protocol/%.c,tests/fuzz/out/obj/%.o,$(FUZZ_PROTOCOL_C))
FUZZ_BINS = $(addprefix tests/fuzz/out/,$(FUZZ_TARGETS))
fuzz_define = -DFUZZ_TARGET_$(shell echo '$(1)' | tr 'a-z-' 'A-Z_')=1

tests/fuzz/out/obj/%.o: $(top_srcdir)/protocol/%.c
	@mkdir -p $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_OBJ_CFLAGS) -c -o $@ $<
tests/fuzz/out/validate-%: $(top_srcdir)/tests/fuzz/fuzz-validate.c $(FUZZ_OBJS)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_CFLAGS) $(call fuzz_define,validate-$*) -o $@ $< $(FUZZ_OBJS)
tests/fuzz/out/%: $(top_srcdir)/tests/fuzz/fuzz-%.c $(FUZZ_OBJS)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_CFLAGS) $(call fuzz_define,$*) -o $@ $< $(FUZZ_OBJS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
.SECONDARY: $(FUZZ_OBJS)

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
