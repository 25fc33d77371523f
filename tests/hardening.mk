# tests/hardening.mk - fuzz targets and the valgrind run, included by the
# Makefile.
#
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="jpeg sidecar"] [FUZZ_JOBS=2]
#       builds every target with clang -fsanitize=fuzzer,address,undefined
#       (in build/fuzz/) and runs each for N seconds (default 60), at most
#       FUZZ_JOBS at once; a finding is saved in build/fuzz/findings/NAME/
#       and makes the run fail.
#   make check
#       also builds $(BUILD)/tests/test_fuzz_NAME: the same target code with
#       a plain main (tests/fuzz/replay.c) that replays every file of
#       tests/fuzz/corpus/NAME/ and tests/fuzz/regressions/NAME/ (under the
#       sanitizers with SAN=1).
#   make valgrind
#       runs the end-to-end tests with every photovoice started by them under
#       valgrind (tests/valgrind.sh); fails on any invalid read or write, use
#       of uninitialised memory or definite leak.
#
# A target is a file tests/fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput;
# tests/fuzz/NAME.dict is its libFuzzer dictionary when present.

FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/tests/test_fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BUILD   := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined,fuzzer-no-link \
                -fno-omit-frame-pointer -fno-sanitize-recover=undefined
DEB_FUZZ     := clang
# the hardening tests use these when present (they skip cleanly without)
DEB_CHECK    += strace

.PHONY: fuzz fuzz-binaries deps-fuzz valgrind

$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
                            tests/fuzz/fuzz.h $(LIBPV) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -Itests/fuzz \
	  -DPV_FUZZ_TARGET='"$*"' $(ALL_LDFLAGS) -o $@ \
	  tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(LIBPV) $(LIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIBPV) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer \
	  $(ALL_LDFLAGS) -o $@ $< $(LIBPV) $(LIBS)

fuzz-binaries: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

deps-fuzz: deps
	$(call install_missing,$(DEB_FUZZ))

# The whole library is built again by clang with coverage instrumentation.
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT='-O1 -g' \
	  SANFLAGS='$(FUZZ_SAN)' FUZZ_TARGETS='$(FUZZ_TARGETS)' fuzz-binaries
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

valgrind: deps-check
	$(call install_missing,valgrind)
	@$(MAKE) --no-print-directory $(BIN) $(MKSAMPLE) $(SAMPLE_STAMP)
	@sh tests/valgrind.sh $(BUILD)
