# photovoice - one Makefile, pkg-config for every library.
#
#   make            build ./build/rel/photovoice (and photovoice-full and
#                   photovoice-files, below)
#   make demo       install missing packages, build, ingest the sample drop
#                   folder into a fresh archive and build a poster bundle
#   make check      install missing packages, build, run every test
#   make check SAN=1   the same under address + undefined-behaviour sanitizers
#   make bench      timings against the tools a user would otherwise pick
#                   (BENCH_ONLY=startup: only the start-up part)
#   make install PREFIX=/usr/local DESTDIR=
#                   (the programs, the manual pages, the bash completion and
#                   the Dutch messages)
#   make pot        po/photovoice.pot from the sources, merged into po/nl.po
#                   (docs/HACKING.md, "Messages and translations")
#
# The program is built in two halves, so that the catalogue commands start
# in 1 to 2 ms instead of 10 (issue 13): photovoice, the light half, holds
# only the commands that work on the catalogue (search, list, show, tag, ...)
# and links only what they use (libc, sqlite3, jansson, glib); photovoice-full
# is the whole program, with the picture, archive, poster and hashing
# libraries (libexif, turbojpeg, libheif, cairo, pango, libarchive, libcrypto,
# ...), and the light half runs it in its place (exec, src/cli/full.c) for
# the commands marked FULL() in the command table of src/cli/main.c, the one
# place that says which command needs which program. A third program,
# photovoice-files, is the light half with the commands on loose files
# (scrub, inspect, marked FILES()): they start without cairo, pango,
# libheif, libarchive and libcrypto, which they do not use. photovoice-full
# and photovoice-files sit beside photovoice in the build and in
# $(PREFIX)/lib/photovoice/ once installed. All three are linked
# with --as-needed from static archives (libphotovoice.a, libpvcli.a), so a
# program gets only the objects, and the shared libraries, its commands reach.

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
LOCALEDIR ?= $(PREFIX)/share/locale
# photovoice finds photovoice-full in ../lib/photovoice/ from its own folder
PVLIBDIR = $(patsubst %/,%,$(dir $(BINDIR)))/lib/photovoice
VERSION := 0.1.0

PKGS      := libexif libturbojpeg libjpeg sqlite3 libarchive cairo pangocairo libheif \
             jansson libpng glib-2.0 lcms2 libcrypto libsodium libqrencode libmicrohttpd
TEST_PKGS := cmocka

# Debian packages: what the build needs, and what the tests use when present
# (libc-l10n: glibc's own sentences in Dutch, such as strerror's, which
# photovoice passes on inside its own).
DEB_BUILD := build-essential pkg-config libexif-dev libturbojpeg0-dev libjpeg-dev \
             libsqlite3-dev libarchive-dev libcairo2-dev libpango1.0-dev \
             libheif-dev libjansson-dev libpng-dev libglib2.0-dev \
             fonts-dejavu-core fonts-urw-base35 liblcms2-dev libssl-dev \
             libsodium-dev libqrencode-dev libmicrohttpd-dev gettext locales libc-l10n
# (npm: unless an npm is there already, as nodejs from NodeSource brings one,
# whose package conflicts with Debian's npm; man-db and groff-base render the
# manual pages in t41)
DEB_CHECK := libcmocka-dev libjpeg-dev libimage-exiftool-perl poppler-utils python3 unzip chromium \
             chromium-driver python3-selenium $(if $(shell command -v npm),,npm) openssl curl \
             man-db groff-base
# what `make bench` compares against
DEB_BENCH := time jhead mat2 libvips-tools libimage-exiftool-perl zip sqlite3 wrk nginx-light

ifeq ($(SAN),1)
BUILD      := build/san
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
OPT        := -O1 -g
else
BUILD      := build/rel
SANFLAGS   :=
OPT        := -O2 -g
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE \
             -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Iinclude -DPV_VERSION='"$(VERSION)"' -DPV_LOCALEDIR='"$(LOCALEDIR)"' \
             $(SANFLAGS) $(CFLAGS) \
             $(PKG_CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm -lpthread
# the programs record only the shared libraries their objects use
PROG_LIBS = -Wl,--as-needed $(LIBS)

LIB_SRCS  := $(sort $(wildcard src/util/*.c src/jpeg/*.c src/store/*.c \
                               src/ingest/*.c src/bundle/*.c src/image/*.c \
                               src/invite/*.c))
# the two front doors: the command line and the web server (src/web/)
CLI_SRCS  := $(sort $(wildcard src/cli/*.c src/web/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/cli/main.o
LIGHT_MAIN := $(BUILD)/light/src/cli/main.o
FILES_MAIN := $(BUILD)/files/src/cli/main.o
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
HEADERS   := $(wildcard include/photovoice/*.h src/*/*.h)

BIN       := $(BUILD)/photovoice
FULLBIN   := $(BUILD)/photovoice-full
FILESBIN  := $(BUILD)/photovoice-files
LIBPV     := $(BUILD)/libphotovoice.a
LIBCLI    := $(BUILD)/libpvcli.a
MKSAMPLE  := $(BUILD)/mksample
MKCOLOUR  := $(BUILD)/mkcolour
SAMPLE_STAMP := sample-media/drop/.generated
MAN_STAMP := $(BUILD)/man/.made
COMPLETION := $(BUILD)/completion/photovoice

# the compiled catalogues, beside the programs (src/util/i18n.c finds them)
PO_LANGS  := nl
MO_FILES  := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/photovoice.mo)

.PHONY: all deps deps-check deps-bench demo check bench sample-media install clean \
        unit-tests pot

all: $(BIN) $(MO_FILES) $(MAN_STAMP) $(COMPLETION)

# ---- Debian packages -------------------------------------------------------
# Installs what is missing when run as root; otherwise prints the exact line.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing \
	      >/dev/null || exit 1; \
	  else \
	    echo "photovoice needs these Debian packages:$$missing"; \
	    echo "Run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

# The Dutch locale, for LANG=nl_NL.UTF-8 (photovoice speaks Dutch without it
# too, see src/util/i18n.c; the tests and other programs want it).
deps:
	$(call install_missing,$(DEB_BUILD))
	@locale -a 2>/dev/null | grep -qix 'nl_NL.utf-\{0,1\}8' || { \
	  if [ "$$(id -u)" = 0 ]; then echo "Generating the locale nl_NL.UTF-8"; \
	    localedef -i nl_NL -f UTF-8 nl_NL.UTF-8 || exit 1; \
	  else echo "The locale nl_NL.UTF-8 is missing; as root: localedef -i nl_NL -f UTF-8 nl_NL.UTF-8"; fi; }

# axe-core (npm) checks the web pages for accessibility in the browser tests
AXE_JS := build/npm/node_modules/axe-core/axe.min.js
deps-check: deps
	$(call install_missing,$(DEB_CHECK))
	@[ -f $(AXE_JS) ] || { echo "Installing axe-core from npm"; \
	  npm install --silent --no-audit --no-fund --prefix build/npm axe-core@4 >/dev/null; }

deps-bench: deps
	$(call install_missing,$(DEB_BENCH))

# ---- build -----------------------------------------------------------------
$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBPV): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# the commands and their shared pieces; each program takes the ones its
# main.o names
$(LIBCLI): $(filter-out $(MAIN_OBJ),$(CLI_OBJS))
	@rm -f $@
	ar rcs $@ $^

# main.c without the FULL() commands
$(LIGHT_MAIN): src/cli/main.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -DPV_LIGHT -c -o $@ $<

# main.c with the FILES() commands and without the FULL() ones
$(FILES_MAIN): src/cli/main.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -DPV_LIGHT -DPV_FILES -c -o $@ $<

# Building photovoice builds photovoice-full and photovoice-files too: it runs them.
$(BIN): $(LIGHT_MAIN) $(LIBCLI) $(LIBPV) | $(FULLBIN) $(FILESBIN)
	@echo "  CC      $@"; $(CC) $(ALL_LDFLAGS) -o $@ $(LIGHT_MAIN) $(LIBCLI) $(LIBPV) $(PROG_LIBS)

$(FILESBIN): $(FILES_MAIN) $(LIBCLI) $(LIBPV)
	@echo "  CC      $@"; $(CC) $(ALL_LDFLAGS) -o $@ $(FILES_MAIN) $(LIBCLI) $(LIBPV) $(PROG_LIBS)

$(FULLBIN): $(MAIN_OBJ) $(LIBCLI) $(LIBPV)
	@echo "  CC      $@"; $(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIBCLI) $(LIBPV) $(PROG_LIBS)

# the web's own parts (src/web/, in the CLI library) are tested with it
$(BUILD)/tests/test_web_%: tests/unit/test_web_%.c $(LIBCLI) $(LIBPV) $(HEADERS) \
  tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -Isrc/web \
	  $(ALL_LDFLAGS) -o $@ $< $(LIBCLI) $(LIBPV) $(LIBS) $(TEST_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBPV) $(HEADERS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ \
	  $< $(LIBPV) $(LIBS) $(TEST_LIBS)

# The test build: the whole program with the fault-injection hook of
# src/store/testfail.c compiled in (PV_TEST_FAIL=point:N); its object comes
# before the library, so the hook-less one in the library is not linked.
# `make check` builds it for tests/e2e/t36-*; it is never installed.
TESTBIN   := $(BUILD)/photovoice-test
TESTHOOKS := $(BUILD)/testhooks/testfail.o
$(TESTHOOKS): src/store/testfail.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -DPV_TEST_HOOKS -c -o $@ $<

$(TESTBIN): $(MAIN_OBJ) $(LIBCLI) $(TESTHOOKS) $(LIBPV)
	@echo "  CC      $@"; $(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIBCLI) $(TESTHOOKS) \
	  $(LIBPV) $(PROG_LIBS)

# serve's route table, one row a line, for the guard walk of tests/e2e/t76
WEB_ROUTES := $(BUILD)/web_routes
$(WEB_ROUTES): tests/e2e/web_routes.c $(LIBCLI) $(LIBPV) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) -Isrc/web $(ALL_LDFLAGS) -o $@ $< $(LIBCLI) \
	  $(LIBPV) $(PROG_LIBS)

# the catalogue part of `make bench`: fills and times a synthetic catalogue
BENCHCAT := $(BUILD)/benchcat
$(BENCHCAT): tests/bench/benchcat.c $(LIBPV) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBPV) $(LIBS)

$(MKSAMPLE): sample-media/generator/mksample.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

# the colour forms of tests/e2e/t63 (libjpeg writes CMYK without YCCK)
$(MKCOLOUR): sample-media/generator/mkcolour.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS) \
	  $(shell pkg-config --libs libjpeg)

# make bench: the start-up part times programs started many times
STARTUP_TIMER := $(BUILD)/startup_timer
$(STARTUP_TIMER): tests/bench/startup_timer.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# make bench: the derivatives alone (tests/bench.sh, last part)
BENCH_IMAGE := $(BUILD)/bench_image
$(BENCH_IMAGE): tests/bench_image.c $(LIBPV) $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBPV) $(LIBS)

# ---- messages (docs/HACKING.md, "Messages and translations") --------------
# msgfmt --check: the header, and every translation's placeholders against
# its English (c-format); a catalogue that fails stops the build.
$(BUILD)/locale/%/LC_MESSAGES/photovoice.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"; msgfmt --check --check-format -o $@.tmp $< && mv $@.tmp $@

# The template from the sources, then merged into every catalogue: new
# messages come in untranslated, changed ones fuzzy (t44 fails on both).
pot:
	@PV_VERSION=$(VERSION) sh po/mkpot.sh po/photovoice.pot.new
	@if [ -f po/photovoice.pot ] && diff -q -I '^"POT-Creation-Date' po/photovoice.pot \
	    po/photovoice.pot.new >/dev/null; then rm po/photovoice.pot.new; \
	  else mv po/photovoice.pot.new po/photovoice.pot; fi
	@for l in $(PO_LANGS); do msgmerge --quiet --update --backup=none --no-wrap \
	  po/$$l.po po/photovoice.pot && printf 'po/%s.po: ' $$l && \
	  msgfmt --statistics -o /dev/null po/$$l.po; done

# ---- manual pages ----------------------------------------------------------
# Made from the built program's option tables (docs/man/mkman.sh), never
# written by hand: photovoice.1 and photovoice-COMMAND.1 for every command
# (docs/man/COMMAND.roff adds what a table cannot say, such as EXAMPLES).
$(MAN_STAMP): $(BIN) $(FULLBIN) $(FILESBIN) docs/man/mkman.sh docs/man/roff.awk $(wildcard docs/man/*.roff)
	@echo "  MAN     $(BUILD)/man/"
	@sh docs/man/mkman.sh $(BIN) $(BUILD)/man && touch $@

# bash completion, made from the same tables (docs/man/mkcompletion.sh)
$(COMPLETION): $(BIN) $(FULLBIN) $(FILESBIN) docs/man/mkcompletion.sh docs/man/completion.bash
	@echo "  GEN     $@"
	@sh docs/man/mkcompletion.sh $(BIN) $@.tmp && mv $@.tmp $@

# ---- sample media ----------------------------------------------------------
# The photos are generated (not committed); the sidecars are written by hand.
$(SAMPLE_STAMP): sample-media/generator/mksample.c $(wildcard sample-media/zip/*/*)
	@$(MAKE) --no-print-directory $(MKSAMPLE)
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MKSAMPLE) sample-media/drop
	@touch $@

sample-media: deps $(SAMPLE_STAMP)

# ---- the README's two commands ---------------------------------------------
DEMO_DIR := demo-archive

demo: deps
	@$(MAKE) --no-print-directory $(BIN) $(MO_FILES) $(SAMPLE_STAMP)
	@SAN=$(SAN) sh tests/demo.sh $(BIN) $(DEMO_DIR)

unit-tests: $(UNIT_BINS)

check: deps-check
	@$(MAKE) --no-print-directory $(BIN) $(MO_FILES) $(TESTBIN) $(UNIT_BINS) $(FUZZ_REPLAYS) \
	  $(MKSAMPLE) $(MKCOLOUR) $(WEB_ROUTES) $(SAMPLE_STAMP) $(MAN_STAMP) $(COMPLETION)
	@sh tests/run.sh $(BUILD)

bench: deps-bench
	@$(MAKE) --no-print-directory $(BIN) $(MKSAMPLE) $(BENCH_IMAGE) $(BENCHCAT) \
	  $(STARTUP_TIMER) $(SAMPLE_STAMP)
	@sh tests/bench.sh $(BUILD)

install: $(BIN) $(MO_FILES) $(MAN_STAMP) $(COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PVLIBDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/photovoice
	install -m 0755 $(FULLBIN) $(DESTDIR)$(PVLIBDIR)/photovoice-full
	install -m 0755 $(FILESBIN) $(DESTDIR)$(PVLIBDIR)/photovoice-files
	install -m 0644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/photovoice
	for l in $(PO_LANGS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/photovoice.mo \
	    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/photovoice.mo || exit 1; done

clean:
	rm -rf build $(DEMO_DIR) $(SAMPLE_STAMP) sample-media/drop/*.jpg \
	  sample-media/drop/*/*.jpg sample-media/drop/*.JPG sample-media/drop/*/*.JPG \
	  sample-media/drop/*/*.png sample-media/drop/*/*.heic sample-media/drop/*.zip

# ---- fuzzing, valgrind (tests/hardening.mk) ------------------------------
include tests/hardening.mk
