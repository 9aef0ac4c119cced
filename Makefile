# c2sh: compile Docker Compose files into sh, systemd and make artifacts.
#
#   make            build build/c2sh
#   make demo       install build needs, compile the seed sample to a plan
#   make check      install test needs, run every test tier
#   make conformance CORPUS=DIR   c2sh -t config against docker compose config
#   make asan       the unit, golden and error tests under ASan+UBSan
#   make golden-update   rewrite golden files (review the diff!)
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
      compiler/config.c
MAIN = compiler/main.c
# one re2c lexer per small language; interp also has a bison grammar
LEXERS = interp dotenv ports volume duration size shellwords
GEN = $(O)/gen/interp.tab.c $(LEXERS:%=$(O)/gen/%.c)
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

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# generated headers must exist before anything that may include them
$(SRC:%.c=$(O)/%.o) $(O)/compiler/main.o $(UNIT_OBJ): $(O)/gen/interp.tab.h

$(O)/unit: $(UNIT_OBJ) $(O)/libc2sh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

-include $(OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(O)/compiler/main.d

# ---- tests ----------------------------------------------------------------

CORPUS ?= ../shared/corpus

unit: $(O)/unit
	$(O)/unit --jobs 2

golden: $(O)/c2sh
	C2SH=$(O)/c2sh sh tests/golden.sh

golden-update: $(O)/c2sh
	UPDATE=1 C2SH=$(O)/c2sh sh tests/golden.sh

errors: $(O)/c2sh
	C2SH=$(O)/c2sh sh tests/errors.sh

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
conformance: $(O)/c2sh
	@if [ -d $(CORPUS) ]; then \
		C2SH=$(O)/c2sh sh tests/conformance.sh $(CORPUS); \
	else \
		echo "*** SKIP conformance: $(CORPUS) is missing, nothing compared ***"; \
	fi

test: unit golden errors compile-corpus conformance

asan:
	$(MAKE) O=build/asan SANITIZE=address,undefined test

# on a real Docker engine (started and stopped by the tests)
e2e: $(O)/c2sh
	C2SH=$(O)/c2sh sh tests/e2e/run.sh

check: deps-test
	$(MAKE) test
	$(MAKE) asan
	$(MAKE) e2e

# c2sh against Docker Compose, compile and deploy (bench/run.sh); not part
# of check. Installs hyperfine and the tools compared (bench/setup.sh), uses
# the running engine (starts one if none answers, and leaves it running as
# demo does), writes bench/results.md.
bench: $(O)/c2sh
	sh bench/setup.sh
	sh tests/e2e/engine.sh start
	C2SH=$(O)/c2sh sh bench/run.sh all

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

.PHONY: all unit golden golden-update errors compile-corpus conformance test \
	asan e2e bench \
	check deps deps-test demo clean
.DELETE_ON_ERROR:
# keep the generated lexers and parsers between runs
.SECONDARY:
