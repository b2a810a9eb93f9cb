# drydock — the only build file.
#   make            build ./drydock (installs missing Debian packages as root)
#   make check      build and run the whole test suite
#   make demo       build and run drydock on the bundled example
#   make asan       run the suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make grammar    regenerate grammar/src/parser.c and run the grammar corpus
#   make e2e        end-to-end builds with buildah and podman (root; CI runs it)
#   make fuzz       libFuzzer on the parser, the linter and the fixer (FUZZ_SECONDS each)
#   make bench      wall time and peak memory of parse and lint on the corpus
#   make install    the binary, templates, man page and completions (PREFIX, DESTDIR)
#   make uninstall  remove what make install put there
#   make deb        build-deb/drydock_VERSION_ARCH.deb, for PREFIX=/usr
#   make docs       rewrite docs/rules.md and examples/hardened/ from the current drydock

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKGS    := tree-sitter jansson
# libgit2's headers only: the library is loaded when a git feature is used (src/git2dl.c)
GIT_PKG := libgit2
INCS    := -Iinclude -Isrc -Igrammar/src
DEPFLAGS = -MMD -MP

BUILD   ?= build$(if $(findstring clang,$(CC)),-clang)
PROG    ?= drydock

# Installation, GNU style: PREFIX is where drydock will live, DESTDIR a
# staging root prepended to every path (packages, tests).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
INSTALL ?= install
# The source tree's templates/, the last place drydock looks (src/knowledge.c);
# empty leaves it out (make deb: a package must not point into a build tree).
SRC_TEMPLATES ?= $(CURDIR)/templates
SHARED  ?= $(abspath ../shared)
TSCLI   := $(SHARED)/tools/tree-sitter

APT_PKGS := libtree-sitter-dev libgit2-dev libjansson-dev check pkg-config python3 python3-yaml patch git
ASAN_PKGS := clang libclang-rt-14-dev llvm
# Needed as commands, from whichever package provides them (NodeSource's
# nodejs brings npm): the SARIF schema check and grammar-check run on node.
APT_CMDS := node:nodejs npm:npm

# manpage.c writes drydock.1 from the command tables, so it sits with the commands.
LIB_SRCS  := $(filter-out src/main.c src/cmd_%.c src/opt.c src/manpage.c,$(wildcard src/*.c src/rules/*.c))
CMD_SRCS  := src/main.c $(wildcard src/cmd_*.c) src/opt.c src/manpage.c
GRAM_SRCS := $(wildcard grammar/src/parser.c grammar/src/scanner.c)
TEST_SRCS := $(wildcard tests/check_*.c) tests/testutil.c

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CMD_OBJS  := $(CMD_SRCS:%.c=$(BUILD)/%.o)
GRAM_OBJS := $(GRAM_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)

# pkg-config is asked only once the dependencies are known to be present.
PC_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(GIT_PKG) 2>/dev/null)
PC_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The drydock binary links tree-sitter and jansson statically (Debian ships
# both archives): two fewer shared objects to map and relocate take about
# 0.08 ms off every process start, which counts when a hook runs drydock
# once per file. STATIC_LIBS= links them as shared libraries instead.
STATIC_LIBS ?= 1
LINK_STATIC  := -Wl,-Bstatic
LINK_DYNAMIC := -Wl,-Bdynamic
PROG_LIBS = $(if $(STATIC_LIBS),$(LINK_STATIC) $(PC_LIBS) $(LINK_DYNAMIC),$(PC_LIBS))
CK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

ALL_CFLAGS = $(STD) $(WARN) $(INCS) $(PC_CFLAGS) $(CFLAGS) $(DEPFLAGS)

.PHONY: all program deps deps-check deps-asan install-pkgs grammar-check sarif-check golden-update check unit cli grammar-test grammar asan fuzz fuzz-build bench demo e2e clean install uninstall deb docs FORCE
.DEFAULT_GOAL := all

# The manual page and the completions too, so that make install (often as
# root) only copies.
all: deps
	@$(MAKE) --no-print-directory program

program: $(PROG) $(BUILD)/drydock.1 $(COMPLETIONS)

# Install what is missing (as root), or say exactly what to run.
deps:
	@$(MAKE) --no-print-directory PKGS_NEEDED="$(APT_PKGS)" install-pkgs

deps-check:
	@$(MAKE) --no-print-directory PKGS_NEEDED="$(APT_PKGS)" CMDS_NEEDED="$(APT_CMDS)" install-pkgs

deps-asan:
	@$(MAKE) --no-print-directory PKGS_NEEDED="$(APT_PKGS) $(ASAN_PKGS)" install-pkgs

install-pkgs:
	@missing=""; \
	for p in $(PKGS_NEEDED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	for c in $(CMDS_NEEDED); do \
	  command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "drydock: installing$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null || exit 1; \
	  else \
	    echo "drydock: missing packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

$(PROG): $(CMD_OBJS) $(LIB_OBJS) $(GRAM_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PROG_LIBS) -ldl -lm -pthread

# The folders drydock looks in for templates/ after its own (src/knowledge.c):
# compiled into knowledge.o, which is rebuilt when they change.
TEMPLATE_DIRS = -DDD_PREFIX_TEMPLATES='"$(DATADIR)/drydock/templates"' \
	$(if $(SRC_TEMPLATES),-DDD_SOURCE_TEMPLATES='"$(SRC_TEMPLATES)"')
$(BUILD)/src/knowledge.o: ALL_CFLAGS += $(TEMPLATE_DIRS)
$(BUILD)/src/knowledge.o: $(BUILD)/template-dirs
$(BUILD)/template-dirs: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR) $(SRC_TEMPLATES)' | cmp -s - $@ || echo '$(DATADIR) $(SRC_TEMPLATES)' > $@
FORCE:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# parser.c is generated: its unused lexer stub and missing prototype are
# tree-sitter's, not ours.
$(BUILD)/grammar/src/parser.o: grammar/src/parser.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-unused-but-set-variable -Wno-missing-prototypes -c -o $@ $<

# Test runner: every tests/check_<name>.c defines <name>_suite().
$(BUILD)/tests/suites.h: $(TEST_SRCS)
	@mkdir -p $(dir $@)
	@for f in $(sort $(notdir $(TEST_SRCS:.c=))); do \
	  case $$f in check_main|testutil) ;; *) echo "SUITE($${f#check_})";; esac; \
	done > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.h
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -I$(BUILD)/tests $(CK_CFLAGS) -c -o $@ $<

$(BUILD)/check_drydock: $(TEST_OBJS) $(LIB_OBJS) $(GRAM_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PC_LIBS) $(CK_LIBS) -ldl -lm -pthread

TEST_ENV = DD_CORPUS=$(SHARED)/corpus DD_SRCDIR=$(CURDIR) DD_BIN=$(CURDIR)/drydock

check: deps-check
	@$(MAKE) --no-print-directory drydock $(BUILD)/check_drydock
	@$(MAKE) --no-print-directory unit cli grammar-test grammar-check sarif-check

unit:
	$(TEST_ENV) $(BUILD)/check_drydock

cli:
	$(TEST_ENV) sh tests/cli.sh
	$(TEST_ENV) sh tests/cli_lint.sh
	$(TEST_ENV) sh tests/cli_fix.sh
	$(TEST_ENV) sh tests/cli_hostile.sh
	$(TEST_ENV) sh tests/cli_git.sh
	$(TEST_ENV) sh tests/cli_build.sh
	$(TEST_ENV) sh tests/cli_flow.sh

# The grammar corpus runs with the tree-sitter CLI (fetched by ../shared/tools).
grammar-test:
	@if [ -x "$(TSCLI)" ]; then \
	  cd grammar && "$(TSCLI)" test; \
	else echo "grammar-test: $(TSCLI) not found; skipped" >&2; fi

grammar:
	cd grammar && "$(TSCLI)" generate --abi 14 --no-bindings && "$(TSCLI)" test

# The SARIF the unit tests and `drydock lint` write, against the official
# SARIF 2.1.0 schema (schema and validator are fetched once into build/sarif/).
sarif-check:
	./drydock lint -f sarif --severity-threshold none examples > build/examples.sarif
	sh tests/sarif_validate.sh build/examples.sarif
	sh tests/sarif_validate.sh build/report-test.sarif

# Rewrite every tests/golden/*/*/expected.json and fixed.Dockerfile from the
# current drydock (fixed.Dockerfile only where the fix changes the file, and
# only when the result parses); review the result with git diff.
# GOLDEN='DD2*' limits it to some rule folders.
GOLDEN ?= *
golden-update: drydock
	@for d in tests/golden/$(GOLDEN)/*/; do \
	  [ -f "$$d/Dockerfile" ] || continue; \
	  args=$$(cat "$$d/args" 2>/dev/null); \
	  (cd "$$d" && $(CURDIR)/drydock lint -f json -q --severity-threshold none $$args Dockerfile > expected.json.tmp; \
	   rc=$$?; if [ $$rc -le 1 ]; then mv expected.json.tmp expected.json; else echo "$$d: exit $$rc"; rm -f expected.json.tmp; fi; \
	   fargs=$$(cat fix-args 2>/dev/null); \
	   $(CURDIR)/drydock fix -q $$args $$fargs Dockerfile > fixed.tmp; rc=$$?; \
	   if [ $$rc -ne 0 ]; then echo "$$d: fix exit $$rc"; rm -f fixed.tmp; \
	   elif cmp -s fixed.tmp Dockerfile; then rm -f fixed.tmp fixed.Dockerfile; \
	   elif ! $(CURDIR)/drydock parse -q fixed.tmp; then echo "$$d: the fix does not parse"; rm -f fixed.tmp; \
	   else mv fixed.tmp fixed.Dockerfile; fi); \
	done

# The committed parser.c must be what grammar.js generates.
grammar-check:
	@if command -v node >/dev/null 2>&1 && [ -x "$(TSCLI)" ]; then \
	  t=$$(mktemp -d) && cp grammar/grammar.js grammar/package.json $$t/ && \
	  (cd $$t && "$(TSCLI)" generate --abi 14 --no-bindings >/dev/null 2>&1) && \
	  if cmp -s $$t/src/parser.c grammar/src/parser.c; then \
	    echo "grammar-check: grammar/src/parser.c matches grammar.js"; rm -rf $$t; \
	  else echo "grammar-check: grammar/src/parser.c is out of date: run 'make grammar'" >&2; \
	    rm -rf $$t; exit 1; fi; \
	else echo "grammar-check: node or the tree-sitter CLI missing; skipped" >&2; fi

asan: deps-asan
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/check_drydock drydock-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan CK_FORK=no build-asan/check_drydock
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli_lint.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli_fix.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli_hostile.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan DD_NO_TIMING=1 sh tests/cli_git.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli_build.sh
	ASAN_OPTIONS=detect_leaks=1 $(TEST_ENV) DD_BIN=$(CURDIR)/drydock-asan sh tests/cli_flow.sh

drydock-asan: $(CMD_OBJS) $(LIB_OBJS) $(GRAM_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PC_LIBS) -ldl -lm -pthread

# Real builds: the original and the fixed Dockerfile of each case under
# tests/e2e/cases build with buildah and podman, and the fixed image runs
# as non-root with a read-only root and no capabilities; then drydock build
# and drydock runtime with both engines (tests/e2e/README.md).
e2e: all
	sh tests/e2e/setup.sh
	DRYDOCK=$(CURDIR)/drydock sh tests/e2e/run.sh
	DRYDOCK=$(CURDIR)/drydock sh tests/e2e/build.sh

# Speed and memory, measured on real runs of ./drydock (targets in bench/run.py).
bench: all $(BUILD)/bench/peak
	python3 bench/run.py --drydock ./drydock --corpus $(SHARED)/corpus --peak $(BUILD)/bench/peak

$(BUILD)/bench/peak: bench/peak.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(CFLAGS) -o $@ $<

# Fuzzing: seeds are the shared corpus (read in place); new inputs and any
# crash go to build-fuzz/. A crash file replays with build-fuzz/fuzz_<t> FILE.
FUZZ_SECONDS ?= $(or $(FUZZ_TIME),60)
FUZZ_FLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

fuzz: deps-asan
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" fuzz-build
	@for t in parse lint fix; do \
	  mkdir -p build-fuzz/corpus-$$t; \
	  DD_TEMPLATES=templates build-fuzz/fuzz_$$t -dict=fuzz/dockerfile.dict -max_len=4096 \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/ \
	    build-fuzz/corpus-$$t $(SHARED)/corpus/realworld $(SHARED)/corpus/conformance \
	    > build-fuzz/fuzz_$$t.log 2>&1; rc=$$?; \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s, $$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/fuzz_$$t.log) runs," \
	    "corpus $$(ls build-fuzz/corpus-$$t | wc -l) inputs, peak RSS $$(sed -n 's/^stat::peak_rss_mb: *//p' build-fuzz/fuzz_$$t.log) MB"; \
	  if [ $$rc -ne 0 ]; then grep -E "grammar gap|ERROR|SUMMARY|Test unit written" build-fuzz/fuzz_$$t.log >&2; exit 1; fi; \
	done

fuzz-build: $(BUILD)/fuzz_parse $(BUILD)/fuzz_lint $(BUILD)/fuzz_fix

$(BUILD)/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(LIB_OBJS) $(GRAM_OBJS)
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(PC_LIBS) -ldl -lm -pthread

# The example's findings are the point of the demo: the threshold is "none"
# so that they do not fail make.
demo: all
	./drydock parse examples/Dockerfile
	./drydock lint --severity-threshold none examples
	./drydock fix --diff examples/Dockerfile
	./drydock explain DD201

# ---- installation --------------------------------------------------------------

# Made by drydock itself from its command, option and rule tables, so they
# cannot drift from the program: the manual page and the shell completions.
COMPLETIONS := $(BUILD)/completions/drydock.bash $(BUILD)/completions/_drydock \
	$(BUILD)/completions/drydock.fish

$(BUILD)/drydock.1: $(PROG)
	@mkdir -p $(dir $@)
	$(abspath $(PROG)) explain --all --format man > $@.tmp && mv $@.tmp $@

$(BUILD)/completions/drydock.bash: $(PROG)
	@mkdir -p $(dir $@)
	$(abspath $(PROG)) completion bash > $@.tmp && mv $@.tmp $@
$(BUILD)/completions/_drydock: $(PROG)
	@mkdir -p $(dir $@)
	$(abspath $(PROG)) completion zsh > $@.tmp && mv $@.tmp $@
$(BUILD)/completions/drydock.fish: $(PROG)
	@mkdir -p $(dir $@)
	$(abspath $(PROG)) completion fish > $@.tmp && mv $@.tmp $@

install: $(PROG) $(BUILD)/drydock.1 $(COMPLETIONS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/drydock/templates \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 755 $(PROG) $(DESTDIR)$(BINDIR)/drydock
	$(INSTALL) -m 644 templates/*.json templates/README.md $(DESTDIR)$(DATADIR)/drydock/templates/
	$(INSTALL) -m 644 $(BUILD)/drydock.1 $(DESTDIR)$(MANDIR)/man1/drydock.1
	$(INSTALL) -m 644 $(BUILD)/completions/drydock.bash $(DESTDIR)$(BASHCOMPDIR)/drydock
	$(INSTALL) -m 644 $(BUILD)/completions/_drydock $(DESTDIR)$(ZSHCOMPDIR)/_drydock
	$(INSTALL) -m 644 $(BUILD)/completions/drydock.fish $(DESTDIR)$(FISHCOMPDIR)/drydock.fish

# Only what install wrote: the templates folder goes if nothing else is in it.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/drydock $(DESTDIR)$(MANDIR)/man1/drydock.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/drydock $(DESTDIR)$(ZSHCOMPDIR)/_drydock \
	  $(DESTDIR)$(FISHCOMPDIR)/drydock.fish
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/drydock/templates/,$(notdir $(wildcard templates/*.json)) README.md)
	-rmdir $(DESTDIR)$(DATADIR)/drydock/templates $(DESTDIR)$(DATADIR)/drydock 2>/dev/null

# A Debian package for PREFIX=/usr, built in its own folder so that ./drydock
# keeps its PREFIX; pkg/deb.sh writes the control file (Depends included).
DEB_BUILD := build-deb
deb: deps
	@rm -rf $(DEB_BUILD)/root
	@$(MAKE) --no-print-directory BUILD=$(DEB_BUILD) PROG=$(DEB_BUILD)/drydock PREFIX=/usr \
	  SRC_TEMPLATES= ZSHCOMPDIR=/usr/share/zsh/vendor-completions \
	  DESTDIR=$(CURDIR)/$(DEB_BUILD)/root install > /dev/null
	@sh pkg/deb.sh $(DEB_BUILD)/root $(DEB_BUILD)

# The checked-in files drydock generates: the rule docs SARIF's helpUri
# points at, and the hardened version of each example (tests/cli_flow.sh
# fails when one is out of date).
docs: drydock
	@{ printf '# drydock rules\n\nOne section per rule, as `drydock explain --format md` prints it.\n'; \
	   printf 'Generated by `make docs`; the rules table is in the README.\n\n'; \
	   ./drydock explain --format md $$(./drydock explain --all --format md | sed -n 's/^| \(DD[0-9]*\) |.*/\1/p'); \
	 } > docs/rules.md.tmp && mv docs/rules.md.tmp docs/rules.md
	@for f in examples/Dockerfile examples/*.Dockerfile; do \
	  ./drydock fix -q "$$f" > examples/hardened/$$(basename "$$f").tmp && \
	  mv examples/hardened/$$(basename "$$f").tmp examples/hardened/$$(basename "$$f") || exit 1; \
	done

clean:
	rm -rf build build-asan build-clang build-fuzz build-deb drydock drydock-asan

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d $(BUILD)/*/*/*/*.d)
