# c2sh: compile Docker Compose files into sh, systemd and make artifacts.
#
#   make            build build/c2sh
#   make demo       install build needs, compile the seed sample to a plan
#   make check      install test needs, run every test tier
#   make conformance CORPUS=DIR   c2sh -t config against docker compose config
#   make asan       the unit, golden and error tests under ASan+UBSan
#   make golden-update   rewrite golden files (review the diff!)
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (fuzz/README.md)
#   make bench      c2sh against Docker Compose, side by side (bench/results.md)

O       ?= build
CC      ?= cc
BISON   ?= bison
RE2C    ?= re2c
VERSION  = 0.1.0

CSTD     = -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
	   -Wvla -Wformat=2 -Wundef -Wno-unused-parameter
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
ifdef SANITIZE
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
ALL_CFLAGS = $(CSTD) $(WARN) $(WERROR) $(CFLAGS) -Icompiler -Igrammar \
	   -Ibackends -I$(O)/gen -DC2SH_VERSION='"$(VERSION)"' -MMD -MP
LDLIBS  = -lyaml

SRC = compiler/arena.c compiler/buf.c compiler/diag.c compiler/util.c \
      compiler/node.c compiler/load.c compiler/expand.c compiler/env.c \
      compiler/schema.c compiler/model.c compiler/normalize.c compiler/lower.c \
      compiler/plan.c compiler/sha256.c compiler/gojson.c compiler/project.c compiler/modeljson.c compiler/extends.c compiler/include.c \
      backends/out.c backends/plan.c backends/json.c backends/sh.c \
      backends/dockerargs.c backends/quote.c backends/make.c backends/systemd.c \
      backends/lifecycle.c compiler/config.c
MAIN = compiler/main.c
# one re2c lexer per small language; interp also has a bison grammar
LEXERS = interp dotenv ports volume duration size shellwords
# the runtime of deploy.sh and the Makefile, and the scripts of the
# systemd units: shell files embedded as C
UNITSCRIPTS = $(sort $(wildcard backends/units/*.sh))
SHELLFILES = backends/tarfile.sh backends/runtime.sh $(UNITSCRIPTS)
GEN = $(O)/gen/interp.tab.c $(LEXERS:%=$(O)/gen/%.c) $(O)/gen/runtime.c \
      $(O)/gen/units.c
OBJ = $(SRC:%.c=$(O)/%.o) $(GEN:.c=.o)

UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:%.c=$(O)/%.o)

all: $(O)/c2sh

$(O)/c2sh: $(O)/compiler/main.o $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/libc2sh.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

# bison writes the parser and its header in one run (grouped target)
$(O)/gen/interp.tab.c $(O)/gen/interp.tab.h &: grammar/interp.y
	@mkdir -p $(@D)
	$(BISON) -Wall -Werror --defines=$(O)/gen/interp.tab.h -o $(O)/gen/interp.tab.c $<

# a lexer may need the parser's token numbers, so lexers wait for the header
$(O)/gen/%.c: grammar/%.re $(O)/gen/interp.tab.h
	@mkdir -p $(@D)
	$(RE2C) -W -Werror -c --no-generation-date --no-version -o $@ $<

# one C string per line (ISO C bounds one literal's length): \ and " escaped, and ? too (no trigraphs)
# (tarfile.sh, the tar stream of a secret, goes in front of it)
$(O)/gen/runtime.c: backends/tarfile.sh backends/runtime.sh
	@mkdir -p $(@D)
	{ echo '/* generated from $^ by the Makefile */'; \
	  echo 'const char *const runtime_sh[] = {'; \
	  cat $^ | sed -e 's/[\\"?]/\\&/g' -e 's/^/"/' -e 's/$$/\\n",/'; \
	  echo '0 };'; } >$@.tmp && mv $@.tmp $@

# each unit script as one line (backends/oneline.awk), a C string named
# after its file: units/external-network.sh is unit_external_network_sh;
# the copy script has tarfile.sh in front of it
$(O)/gen/units.c: $(UNITSCRIPTS) backends/oneline.awk backends/tarfile.sh
	@mkdir -p $(@D)/units
	{ echo '/* generated from backends/units/ by the Makefile */'; \
	  for f in $(UNITSCRIPTS); do \
		n=$$(basename "$$f" .sh); \
		case $$n in copy) set -- backends/tarfile.sh "$$f" ;; \
		*) set -- "$$f" ;; esac; \
		cat "$$@" | awk -f backends/oneline.awk \
		    >$(@D)/units/$$n.line || exit 1; \
		printf 'const char unit_%s_sh[] =\n' "$$(echo "$$n" | tr - _)"; \
		sed -e 's/[\\"?]/\\&/g' -e 's/^/"/' -e 's/$$/";/' \
		    $(@D)/units/$$n.line; \
	  done; } >$@.tmp && mv $@.tmp $@

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# generated headers must exist before anything that may include them
$(SRC:%.c=$(O)/%.o) $(O)/compiler/main.o $(UNIT_OBJ): $(O)/gen/interp.tab.h

$(O)/unit: $(UNIT_OBJ) $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

# the compile-time interpolation evaluator as a program: the oracle of the
# deploy-time one (tests/interp-equiv.py)
$(O)/interp-eval: $(O)/tests/interp-eval.o $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/interp-eval.o: $(O)/gen/interp.tab.h

-include $(OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(O)/compiler/main.d \
	$(O)/tests/interp-eval.d

# ---- tests ----------------------------------------------------------------

CORPUS ?= ../shared/corpus
# the compose schema the schema-derived bad-input tier walks
SCHEMA ?= ../shared/reference/compose-spec.json

unit: $(O)/unit
	$(O)/unit --jobs 2

# the c2sh the golden, error and bad-input tiers run; the valgrind tier
# runs them through a wrapper that starts it under valgrind
RUN_C2SH ?= $(O)/c2sh

golden: $(O)/c2sh
	C2SH=$(RUN_C2SH) sh tests/golden.sh

golden-update: $(O)/c2sh
	UPDATE=1 C2SH=$(O)/c2sh sh tests/golden.sh

errors: $(O)/c2sh
	C2SH=$(RUN_C2SH) sh tests/errors.sh

# generated broken inputs (tests/badinput.sh): 50 MB files, garbage, deep
# nesting, alias bombs, directories and unreadable files; bounded in time,
# and in address space where no sanitizer needs its own
BADINPUT_BIG ?= 50
BADINPUT_MEM ?= 2097152
BADINPUT_TIMEOUT ?= 30
ifdef SANITIZE
BADINPUT_BIG = 10
BADINPUT_MEM =
endif
badinput: $(O)/c2sh
	C2SH=$(RUN_C2SH) BADINPUT_BIG=$(BADINPUT_BIG) \
	    BADINPUT_MEM=$(BADINPUT_MEM) BADINPUT_TIMEOUT=$(BADINPUT_TIMEOUT) \
	    sh tests/badinput.sh

# the schema-derived bad-input tier (tests/badschema.py): each key of the
# compose schema given odd values, and each required key left out, through
# every target of c2sh and through docker compose config (whose answers are
# kept in build/badschema-ref, so the sanitizer tiers ask only c2sh).  The
# sanitizer tiers run -t config per case, and every case through the fuzz
# replay binary, which runs all backends in one process: six instrumented
# processes per case would take a quarter of an hour.
ifdef SANITIZE
BADSCHEMA_ENV = TARGETS=config REPLAY=$(O)/fuzz/replay-compile
BADSCHEMA_DEPS = $(O)/fuzz/replay-compile
endif
badschema: $(O)/c2sh $(BADSCHEMA_DEPS)
	@if [ -f $(SCHEMA) ]; then \
		C2SH=$(RUN_C2SH) $(BADSCHEMA_ENV) \
		    python3 tests/badschema.py run $(SCHEMA); \
	else \
		echo "*** SKIP badschema: $(SCHEMA) is missing, nothing run ***"; \
	fi

# the deploy-time interpolation evaluator (backends/interp.awk) against the
# compiler's, on the unit table and on random templates (tests/interp-equiv.py)
interp-equiv: $(O)/interp-eval
	python3 tests/interp-equiv.py $(O)/interp-eval

# every compose file of the samples and of the awesome-compose corpus
# (real files nobody here wrote) must compile to a plan
compile-corpus: $(O)/c2sh
	@if [ -d $(CORPUS)/awesome-compose ]; then \
		C2SH=$(O)/c2sh sh tests/compile-all.sh $(CORPUS)/awesome-compose samples; \
	else \
		echo "*** $(CORPUS)/awesome-compose is missing: compiling the samples only"; \
		C2SH=$(O)/c2sh sh tests/compile-all.sh samples; \
	fi

# c2sh -t config against docker compose config on every file of the corpus
# (tests/conformance.sh; intended differences in tests/conformance/EXCUSED)
# Compose's answers are kept in build/conformance-ref: the plain tier asks
# Compose afresh, the sanitizer tiers reuse them (half the time)
REFCACHE = build/conformance-ref
ifdef SANITIZE
REFCACHE_WRITE =
else
REFCACHE_WRITE = 1
endif
conformance: $(O)/c2sh
	@if [ -d $(CORPUS) ]; then \
		C2SH=$(O)/c2sh REFCACHE=$(REFCACHE) \
		    REFCACHE_WRITE=$(REFCACHE_WRITE) \
		    sh tests/conformance.sh $(CORPUS); \
	else \
		echo "*** SKIP conformance: $(CORPUS) is missing, nothing compared ***"; \
	fi

# the runtime is a shell program of its own: shellcheck and dash read it
lint: $(O)/gen/units.c
	shellcheck -s sh $(SHELLFILES)
	for f in $(SHELLFILES) $(O)/gen/units/*.line; do \
		dash -n "$$f" || exit 1; \
	done

test: lint unit interp-equiv golden errors badinput badschema compile-corpus \
	conformance fuzz-replay

asan:
	$(MAKE) O=build/asan SANITIZE=address,undefined test

# the unit, golden, error and bad-input tiers under valgrind (memcheck):
# an invalid read or write, a use of uninitialized memory or a leak fails
# the run.  Each Criterion test runs in a process of its own, whose exit
# status Criterion does not look at once the test has passed: valgrind
# follows the children and writes a log per process, and any log that is
# not empty fails the tier.
VALGRIND = valgrind -q --error-exitcode=97 --leak-check=full \
	   --show-leak-kinds=definite,indirect \
	   --errors-for-leak-kinds=definite,indirect
valgrind: $(O)/c2sh $(O)/unit
	rm -rf $(O)/valgrind && mkdir -p $(O)/valgrind
	$(VALGRIND) --trace-children=yes --log-file=$(O)/valgrind/unit.%p \
	    $(O)/unit --jobs 2
	@for f in $(O)/valgrind/unit.*; do \
		[ ! -s "$$f" ] || { cat "$$f"; bad=1; }; \
	done; [ -z "$$bad" ] || { echo "*** valgrind: errors in the unit tests"; \
	    exit 1; }; echo "valgrind: unit tests clean"
	printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND)' \
	    '$(abspath $(O)/c2sh)' >$(O)/c2sh-valgrind
	chmod +x $(O)/c2sh-valgrind
	$(MAKE) golden errors badinput RUN_C2SH=$(O)/c2sh-valgrind \
	    BADINPUT_BIG=5 BADINPUT_MEM= BADINPUT_TIMEOUT=120

# on a real Docker engine (started and stopped by the tests)
e2e: $(O)/c2sh
	C2SH=$(O)/c2sh sh tests/e2e/run.sh

check: deps-test
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) valgrind
	$(MAKE) e2e

# c2sh against Docker Compose, compile and deploy (bench/run.sh); not part
# of check. Installs hyperfine and the tools compared (bench/setup.sh), uses
# the running engine (starts one if none answers, and leaves it running as
# demo does), writes bench/results.md.
bench: $(O)/c2sh
	sh bench/setup.sh
	sh tests/e2e/engine.sh start
	C2SH=$(O)/c2sh sh bench/run.sh all

# ---- fuzzing ----------------------------------------------------------------

# One libFuzzer target per fuzz/NAME.c (fuzz/README.md).  make fuzz builds
# them with clang into build/fuzz and runs each for FUZZ_SECONDS on a
# working corpus build/fuzz/corpus/NAME, from the seeds (for compile: the
# compose files of samples, tests and CORPUS) and fuzz/regress/NAME; it
# fails when any target finds a crash, leak, timeout or sanitizer report.
# fuzz-replay (part of test) runs the seeds and regression inputs once,
# through fuzz/replay.c instead of libFuzzer, with the build's CC.
FUZZ = compile interp ports volume duration size shellwords dotenv
FUZZ_SECONDS ?= 60
# the largest project c2sh accepts (10000 replicas) takes 30 s through
# every backend in the instrumented compile target, 2 s in c2sh itself
FUZZ_FLAGS ?= -timeout=60 -rss_limit_mb=2048
FUZZ_OBJ = $(FUZZ:%=$(O)/fuzz/%.o) $(O)/fuzz/fuzz.o $(O)/fuzz/replay.o
COMPILE_SEEDS = samples/*/*.y*ml tests/golden/*/*.y*ml tests/errors/*.yaml

$(FUZZ:%=$(O)/fuzz/%): $(O)/fuzz/%: $(O)/fuzz/%.o $(O)/fuzz/fuzz.o \
    $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

$(FUZZ:%=$(O)/fuzz/replay-%): $(O)/fuzz/replay-%: $(O)/fuzz/%.o \
    $(O)/fuzz/replay.o $(O)/fuzz/fuzz.o $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(FUZZ_OBJ): $(O)/gen/interp.tab.h
-include $(FUZZ_OBJ:.o=.d)

fuzz:
	$(MAKE) O=build/fuzz CC=clang SANITIZE=fuzzer-no-link,address,undefined \
	    fuzz-run

fuzz-run: $(FUZZ:%=$(O)/fuzz/%)
	@rm -rf $(O)/seeds/compile && mkdir -p $(O)/seeds/compile $(O)/log
	@{ ls $(COMPILE_SEEDS); find $(CORPUS) -name '*.y*ml' 2>/dev/null; } | \
	while IFS= read -r f; do \
		cp "$$f" "$(O)/seeds/compile/$$(echo "$$f" | \
		    sed 's|^\(\.\./\)*||; s|[/ ]|_|g')"; \
	done
	@if [ -f $(SCHEMA) ]; then \
		python3 tests/badschema.py gen $(SCHEMA) $(O)/seeds/badschema && \
		for f in $(O)/seeds/badschema/*.yaml; do \
			mv "$$f" $(O)/seeds/compile/; \
		done; rm -rf $(O)/seeds/badschema; \
	else echo "*** $(SCHEMA) is missing: no schema-derived seeds"; fi
	@failed=; for t in $(FUZZ); do \
		dirs=$(O)/corpus/$$t; mkdir -p $$dirs; \
		for d in $(O)/seeds/$$t fuzz/seeds/$$t fuzz/regress/$$t; do \
			[ -d $$d ] && dirs="$$dirs $$d"; \
		done; \
		dict=; [ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
		echo "fuzz $$t for $(FUZZ_SECONDS) s ($(O)/log/$$t.log)"; \
		if $(O)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
		    -print_final_stats=1 -artifact_prefix=$(O)/$$t- $$dict \
		    $$dirs >$(O)/log/$$t.log 2>&1; then \
			grep -E '^#[0-9]+.*(DONE|pulse)' $(O)/log/$$t.log | tail -1; \
		else \
			tail -40 $(O)/log/$$t.log; failed="$$failed $$t"; \
		fi; \
	done; \
	[ -z "$$failed" ] || { echo "*** fuzz: found something in:$$failed" \
	    "(inputs in $(O)/)"; exit 1; }

fuzz-replay: $(FUZZ:%=$(O)/fuzz/replay-%)
	@for t in $(FUZZ); do \
		set -- $$(find fuzz/seeds/$$t fuzz/regress/$$t -type f \
		    2>/dev/null); \
		[ $$t = compile ] && set -- "$$@" $(COMPILE_SEEDS); \
		printf '%s: ' $$t; $(O)/fuzz/replay-$$t "$$@" || exit 1; \
	done

# ---- set-up -----------------------------------------------------------------

deps:
	sh tests/setup.sh build

deps-test:
	sh tests/setup.sh test

# the main job on the seed sample: compile it to deploy.sh and deploy it
demo:
	sh tests/setup.sh demo
	$(MAKE) $(O)/c2sh
	sh tests/e2e/engine.sh start
	sh tests/e2e/images.sh seed
	$(O)/c2sh samples/flask-redis/docker-compose.yaml > $(O)/deploy.sh
	sh $(O)/deploy.sh up
	sh tests/e2e/wait-http.sh http://127.0.0.1:80/
	@echo "The seed sample is up on http://127.0.0.1:80/ ($(O)/deploy.sh; 'sh $(O)/deploy.sh down' removes it)." 

clean:
	rm -rf build

.PHONY: all lint unit golden golden-update errors compile-corpus conformance test \
	asan valgrind badinput badschema interp-equiv e2e bench fuzz fuzz-run fuzz-replay \
	check deps deps-test demo clean
.DELETE_ON_ERROR:
# keep the generated lexers and parsers between runs
.SECONDARY:
