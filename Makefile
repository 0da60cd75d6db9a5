# planpack — a plain Makefile. `make` builds $(B)/planpack; see README.md for the rest.

CC       ?= cc
CLANG    ?= clang
PREFIX   ?= /usr/local
DESTDIR  ?=
PKGS     := libmicrohttpd libcmark yaml-0.1 zlib sqlite3 libsodium libqrencode libxml-2.0
# libpq's header only: the library is loaded at run time when a postgres:// store is opened.
# Brotli's encoder likewise, while a site is compressed (src/web/server.c).
# Quiet while pkg-config itself is still missing: `make run` and `make test` parse this file
# before scripts/deps installs it, then build in a second make that sees it.
PQ_CFLAGS := $(shell pkg-config --cflags libpq libbrotlienc 2>/dev/null)
PQ_LIBS   := $(shell pkg-config --libs libpq 2>/dev/null)
VERSION  := $(shell cat VERSION)
# The build folder; a second checkout or a parallel job can use its own (make B=build-x).
B        ?= build

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
            -Wwrite-strings -Wformat=2 -Wimplicit-fallthrough
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc -I$(B)/gen \
             -DPLANPACK_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS)) $(PQ_CFLAGS)
# ReadStat (libreadstat-dev) writes the SPSS and Stata exports, and GNU gettext's libgettextpo
# (libgettextpo-dev) the PO files of `planpack translate`; Debian ships both without a
# pkg-config file.
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lreadstat -lgettextpo -lm -lpthread

# `make V=1` shows full compiler command lines.
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC  := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
PKG_FILES   := $(sort $(shell find packages/default -type f ! -name '.*'))
ASSET_FILES := $(sort $(shell find assets -type f ! -name '.*'))
CATALOG_FILES := $(sort $(wildcard src/site/catalogs/*.yaml))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

.PHONY: all run test unit http browser fuzz fuzz-build asan lint format bench install uninstall clean deps

all: $(B)/planpack

$(B)/embed: scripts/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(B)/gen/embedded.c: $(B)/embed $(PKG_FILES) $(ASSET_FILES) $(CATALOG_FILES) Makefile
	@mkdir -p $(@D)
	{ $(B)/embed embedded_package packages/default $(PKG_FILES); \
	  $(B)/embed embedded_assets assets $(ASSET_FILES) | sed 1,2d; \
	  $(B)/embed embedded_catalogs src/site/catalogs $(CATALOG_FILES) | sed 1,2d; } > $@.tmp && mv $@.tmp $@

# Objects for the release build and for the sanitizer build live apart.
# src/base/banned.h comes first in every file of src/: strcpy, sprintf, atoi and friends do
# not compile there.
BANNED   := -include base/banned.h

OBJ      := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/gen/embedded.o
ASAN_OBJ := $(patsubst src/%.c,$(B)/asan/%.o,$(LIB_SRC)) $(B)/asan/gen/embedded.o

$(B)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(BANNED) -MMD -MP -c -o $@ $<
$(B)/obj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -O0 -c -o $@ $<
$(B)/asan/%.o: src/%.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(BANNED) -Werror $(SAN) -MMD -MP -c -o $@ $<
$(B)/asan/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -O0 -c -o $@ $<

$(B)/planpack: $(OBJ) $(B)/obj/main.o
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(B)/asan/planpack: $(ASAN_OBJ) $(B)/asan/main.o
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LIBS)

# A test is compiled and linked in one step; -MF records every header it includes (its
# fixtures too), so that changing one rebuilds the tests that use it.
$(B)/asan/unit/%: tests/unit/%.c $(ASAN_OBJ)
	@mkdir -p $(@D)
	@echo '  LD      $@'
	$(Q)$(CC) $(ALL_CFLAGS) -Werror $(SAN) -Itests/unit -MMD -MP -MF $@.d -MT $@ -o $@ $< \
	  $(ASAN_OBJ) $(LIBS) $(PQ_LIBS) -lcmocka

-include $(shell find $(B) -name '*.d' 2>/dev/null)

deps:
	@scripts/deps

run:
	@scripts/deps
	@$(MAKE) --no-print-directory $(B)/planpack
	$(B)/planpack serve

asan: $(B)/asan/planpack

UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/asan/unit/%,$(UNIT_SRC))

# The whole suite: unit tests, HTTP tests against the real binary, the fuzzer for a bounded
# time, and the browser tests, all under AddressSanitizer and UBSan where they run C.
test:
	@scripts/deps --test
	@$(MAKE) --no-print-directory -j$$(nproc) $(B)/planpack $(B)/asan/planpack $(UNIT_BIN)
	@B=$(B) scripts/run-tests

unit: $(B)/asan/planpack $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

FUZZ_TARGETS := $(patsubst fuzz/%.c,$(B)/fuzz/%,$(wildcard fuzz/fuzz_*.c))
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE -g -O1 -Isrc -I$(B)/gen -DPLANPACK_VERSION='"$(VERSION)"' \
              $(shell pkg-config --cflags $(PKGS)) $(PQ_CFLAGS) -fsanitize=address,undefined
# The library is compiled once with coverage instrumentation and shared by every target.
FUZZ_OBJ := $(patsubst src/%.c,$(B)/fuzzobj/%.o,$(LIB_SRC)) $(B)/fuzzobj/gen/embedded.o

$(B)/fuzzobj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo '  CC      $@'
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(BANNED) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
$(B)/fuzzobj/gen/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -O0 -c -o $@ $<

$(B)/fuzz/%: fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	@echo '  FUZZ    $@'
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz-build: $(FUZZ_TARGETS)
# Named only by a pattern rule, the objects would count as intermediate and be deleted
# after every build, and compiled again by the next.
.SECONDARY: $(FUZZ_OBJ)

# Runs each fuzzer for FUZZ_SECONDS (default 30) on its seed corpus, FUZZ_JOBS (default 2)
# fuzzers at a time; fails on any crash, leak, sanitizer report or timeout, printing the end
# of that fuzzer's log.
FUZZ_SECONDS ?= 30
FUZZ_JOBS    ?= 2
fuzz:
	@scripts/deps --test
	@$(MAKE) --no-print-directory -j$$(nproc) fuzz-build
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(patsubst $(B)/fuzz/%,fuzz-run-%,$(FUZZ_TARGETS))

fuzz-run-%: $(B)/fuzz/%
	@mkdir -p $(B)/corpus/$*
	@seeds=fuzz/corpus/$*; [ -d $$seeds ] || seeds=; \
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  $(B)/corpus/$* $$seeds 2>$(B)/fuzz/$*.log || { tail -40 $(B)/fuzz/$*.log; exit 1; }; \
	echo "fuzz $*: $$(grep -o 'Done [0-9]* runs in [0-9]* second' $(B)/fuzz/$*.log), no crash"

# clang-tidy runs once per source file and leaves a stamp, so that `make -j2 lint` checks
# files side by side and a second run checks again only the files that changed, or whose
# headers did (the compiler lists them in the stamp's .d file, written before each check).
# cppcheck reads the whole of src/ in one run, beside them. After a change of compiler
# flags, `rm -rf $(B)/lint` has everything checked again.
LINT_SRC    := $(LIB_SRC) src/main.c
TIDY_STAMPS := $(patsubst src/%.c,$(B)/lint/%.tidy,$(LINT_SRC))

$(B)/lint/%.tidy: src/%.c .clang-tidy | $(B)/gen/embedded.c
	@mkdir -p $(@D)
	@echo '  TIDY    $<'
	$(Q)$(CC) $(ALL_CFLAGS) -MM -MP -MT $@ -MF $@.d $<
	$(Q)clang-tidy --quiet --warnings-as-errors='*' $< -- $(ALL_CFLAGS)
	@touch $@

$(B)/lint/cppcheck.stamp: $(LINT_SRC) $(wildcard src/*/*.h) | $(B)/gen/embedded.c
	@mkdir -p $(@D)
	@echo '  CPPCHECK src'
	$(Q)cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --inline-suppr --suppress=missingIncludeSystem -Isrc -I$(B)/gen --std=c11 src
	@touch $@

lint: $(TIDY_STAMPS) $(B)/lint/cppcheck.stamp

format:
	clang-format -i $$(find src tests fuzz scripts bench -name '*.[ch]')

bench:
	@scripts/deps --bench
	@$(MAKE) --no-print-directory $(B)/planpack
	@PLANPACK=$(B)/planpack bench/run

# The binary, the manual page and the systemd unit under PREFIX, staged inside DESTDIR
# when packaging; the unit is given the installed binary's path.
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
install: $(B)/planpack
	install -D -m 755 $(B)/planpack $(DESTDIR)$(PREFIX)/bin/planpack
	install -D -m 644 docs/planpack.1 $(DESTDIR)$(MANDIR)/man1/planpack.1
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local/bin/planpack|$(PREFIX)/bin/planpack|g' scripts/planpack.service \
	  > $(DESTDIR)$(UNITDIR)/planpack.service
	chmod 644 $(DESTDIR)$(UNITDIR)/planpack.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/planpack $(DESTDIR)$(MANDIR)/man1/planpack.1 \
	  $(DESTDIR)$(UNITDIR)/planpack.service

clean:
	rm -rf build
