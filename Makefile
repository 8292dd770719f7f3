# posko - build, run, test.
#
#   make        build/ngx_http_posko_module.so and build/posko
#   make run    the whole system on 127.0.0.1:8080 (installs what it lacks)
#   make test   every test: unit (plain and sanitized) and nginx integration
#   make install, make uninstall   (DESTDIR, PREFIX; scripts/install.sh)
#   make deb    build/deb/posko_VERSION_ARCH.deb (scripts/deb.sh)
#
# The module is built against a private copy of Debian's nginx source
# (package nginx-dev), configured with the flags Debian's nginx was built
# with, so the .so loads into /usr/sbin/nginx.

SHELL      := /bin/bash
NGINX_SRC  ?= /usr/share/nginx/src
BUILD      := build
NGX_BUILD  := $(BUILD)/nginx

CC         ?= gcc
PKGS       := pangocairo cairo libpng sqlite3 inih libcrypto
# the reference data ingest reads unless told --ref (install sets its own)
POSKO_REF  ?= $(CURDIR)/data/referensi.ini
CFLAGS     ?= -O2 -g
CFLAGS     += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Ibatch \
              -DPOSKO_DEFAULT_REF='"$(POSKO_REF)"'
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS        = $(PKG_LIBS) -lisal -lm

SHARED_SRC := $(wildcard include/*.c)
BATCH_SRC  := $(wildcard batch/*.c)
POSKO_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(SHARED_SRC) $(BATCH_SRC))

UNIT_SRC   := $(wildcard tests/test_*.c)
UNIT_BIN   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
ASAN_BIN   := $(patsubst tests/%.c,$(BUILD)/asan/%,$(UNIT_SRC))
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_TIME  ?= 60
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: install uninstall deb bench-smoke bench-peers bench-ingest bench-report all deps test-deps module module-asan run bench crash-long test unit unit-asan fuzz fuzz-smoke \
        clean format

all: module $(BUILD)/posko

deps:
	@scripts/deps.sh

test-deps:
	@scripts/deps.sh test

# -- the nginx module ------------------------------------------------------

$(NGX_BUILD)/objs/Makefile: config $(NGINX_SRC)/conf_flags
	@echo "  CONFIG  nginx from $(NGINX_SRC) with the module"
	@rm -rf $(NGX_BUILD)
	@mkdir -p $(BUILD)
	@cp -a $(NGINX_SRC) $(NGX_BUILD)
	@cd $(NGX_BUILD) && . ./conf_flags && \
	    ./configure "$${NGX_CONF_FLAGS[@]}" \
	        --add-dynamic-module=$(CURDIR) >configure.log 2>&1 || \
	    { tail -20 configure.log; exit 1; }

# nginx's own makefile knows the dependencies; always ask it.
module: $(NGX_BUILD)/objs/Makefile
	@$(MAKE) --no-print-directory -s -C $(NGX_BUILD) -f objs/Makefile modules
	@cmp -s $(NGX_BUILD)/objs/ngx_http_posko_module.so \
	    $(BUILD)/ngx_http_posko_module.so || \
	    cp $(NGX_BUILD)/objs/ngx_http_posko_module.so $(BUILD)/

# The same module built with AddressSanitizer and UBSan, for the tests;
# nginx loads it with the sanitizer runtimes preloaded.
$(BUILD)/nginx-asan/objs/Makefile: config $(NGINX_SRC)/conf_flags
	@echo "  CONFIG  nginx from $(NGINX_SRC) with the module, sanitized"
	@rm -rf $(BUILD)/nginx-asan
	@mkdir -p $(BUILD)
	@cp -a $(NGINX_SRC) $(BUILD)/nginx-asan
	@cd $(BUILD)/nginx-asan && . ./conf_flags && \
	    ./configure "$${NGX_CONF_FLAGS[@]}" \
	        --with-cc-opt="$(SAN_FLAGS)" \
	        --with-ld-opt="-fsanitize=address,undefined" \
	        --add-dynamic-module=$(CURDIR) >configure.log 2>&1 || \
	    { tail -20 configure.log; exit 1; }

module-asan: $(BUILD)/nginx-asan/objs/Makefile
	@$(MAKE) --no-print-directory -s -C $(BUILD)/nginx-asan -f objs/Makefile \
	    modules
	@mkdir -p $(BUILD)/asan
	@cp $(BUILD)/nginx-asan/objs/ngx_http_posko_module.so $(BUILD)/asan/

# -- the batch command -----------------------------------------------------

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/posko: $(POSKO_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

-include $(POSKO_OBJ:.o=.d)

# -- tests -----------------------------------------------------------------

# Unit tests link include/*.c; a test of batch/ code also links the files
# it tests (UNIT_LINK), with their flags and libraries.  The chart test
# builds chart.c without its clip, to see that the layout alone stays in
# its boxes.
# what include/*.c needs to link, for every program built on it alone
SHARED_LIBS := -lisal -lcrypto

UNIT_AXIS  := $(BUILD)/tests/test_axis $(BUILD)/asan/test_axis
UNIT_CHART := $(BUILD)/tests/test_chart $(BUILD)/asan/test_chart

$(UNIT_AXIS): batch/axis.c batch/axis.h
$(UNIT_AXIS): UNIT_LINK := batch/axis.c
$(UNIT_AXIS): UNIT_LIBS := -lm
$(UNIT_CHART): batch/chart.c batch/chart.h batch/axis.c batch/axis.h
$(UNIT_CHART): UNIT_LINK := batch/chart.c batch/axis.c
$(UNIT_CHART): UNIT_FLAGS = -DPOSKO_CHART_NO_CLIP \
    $(shell pkg-config --cflags pangocairo 2>/dev/null)
$(UNIT_CHART): UNIT_LIBS = $(shell pkg-config --libs pangocairo 2>/dev/null) -lm
UNIT_TIMES := $(BUILD)/tests/test_times $(BUILD)/asan/test_times
UNIT_OPTIONS := $(BUILD)/tests/test_options $(BUILD)/asan/test_options
$(UNIT_TIMES): batch/times.c batch/times.h
$(UNIT_TIMES): UNIT_LINK := batch/times.c
$(UNIT_OPTIONS): batch/options.c batch/options.h batch/times.c batch/times.h
$(UNIT_OPTIONS): UNIT_LINK := batch/options.c batch/times.c

$(BUILD)/tests/%: tests/%.c $(SHARED_SRC) $(wildcard include/*.h tests/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(UNIT_FLAGS) -o $@ $< $(SHARED_SRC) $(UNIT_LINK) \
	    -lcmocka $(SHARED_LIBS) $(UNIT_LIBS)

$(BUILD)/asan/posko: $(SHARED_SRC) $(BATCH_SRC) $(wildcard include/*.h batch/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC+SAN  $@"
	@clang $(CFLAGS) -O1 $(SAN_FLAGS) $(PKG_CFLAGS) -o $@ $(SHARED_SRC) \
	    $(BATCH_SRC) $(LIBS)

$(BUILD)/asan/%: tests/%.c $(SHARED_SRC) $(wildcard include/*.h tests/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC+SAN  $@"
	@clang $(CFLAGS) -O1 $(SAN_FLAGS) $(UNIT_FLAGS) -o $@ $< $(SHARED_SRC) \
	    $(UNIT_LINK) -lcmocka $(SHARED_LIBS) $(UNIT_LIBS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(SHARED_SRC) $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@clang $(CFLAGS) -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< $(SHARED_SRC) $(SHARED_LIBS)

# `make fuzz` fuzzes each parser for FUZZ_TIME seconds, keeping a corpus;
# `make test` runs a short smoke pass of each.
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); mkdir -p $(BUILD)/corpus/$$n; \
	    seeds=; [ -d tests/fuzz/corpus/$$n ] && seeds=tests/fuzz/corpus/$$n; \
	    echo "== $$n for $(FUZZ_TIME) s"; \
	    $$f -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 \
	        -print_final_stats=1 $(BUILD)/corpus/$$n $$seeds 2>&1 | \
	        grep -E "stat::number_of_executed_units|ERROR|Done" ; \
	    test $${PIPESTATUS[0]} = 0 || exit 1; done

fuzz-smoke: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); \
	    rm -rf $(BUILD)/smoke/$$n; mkdir -p $(BUILD)/smoke/$$n; \
	    [ -d tests/fuzz/corpus/$$n ] && cp tests/fuzz/corpus/$$n/* $(BUILD)/smoke/$$n/; \
	    $$f -runs=300000 -max_total_time=10 $(BUILD)/smoke/$$n 2>&1 | tail -1 | sed "s|^|$$n: |"; \
	    test $${PIPESTATUS[0]} = 0 || exit 1; done

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

unit-asan: $(ASAN_BIN)
	@for t in $(ASAN_BIN); do \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    $$t || exit 1; done

test: test-deps
	@$(MAKE) --no-print-directory all
	@echo "== the code's shape (docs/architecture.md)"
	@scripts/check-shape.sh $(NGX_BUILD)/objs/addon/ngx_module
	@echo "== unit tests (cmocka)"
	@$(MAKE) --no-print-directory unit
	@echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory unit-asan
	@echo "== fuzz smoke (libFuzzer)"
	@$(MAKE) --no-print-directory fuzz-smoke
	@echo "== benchmark scripts, once each at a tiny size (bench-smoke)"
	@$(MAKE) --no-print-directory bench-smoke
	@echo "== integration tests (real nginx, prove)"
	@prove -r t/
	@echo "== integration tests, module and posko under ASan + UBSan (+ LSan for posko)"
	@$(MAKE) --no-print-directory module-asan $(BUILD)/asan/posko
	@POSKO_MODULE=$(CURDIR)/$(BUILD)/asan/ngx_http_posko_module.so \
	    POSKO_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	    POSKO_BIN=$(CURDIR)/$(BUILD)/asan/posko \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    prove -r t/

# -- install ----------------------------------------------------------------

# posko built again with its reference data where install puts it
$(BUILD)/install/posko: $(SHARED_SRC) $(BATCH_SRC) $(wildcard include/*.h batch/*.h)
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/install \
	    POSKO_REF=/etc/posko/referensi.ini $(BUILD)/install/posko

install: module $(BUILD)/install/posko
	@DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" \
	    POSKO=$(CURDIR)/$(BUILD)/install/posko \
	    MODULE=$(CURDIR)/$(BUILD)/ngx_http_posko_module.so \
	    scripts/install.sh install

uninstall:
	@DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" scripts/install.sh uninstall

# a Debian package of the same install, for this machine's nginx
deb: module $(BUILD)/install/posko
	@POSKO=$(CURDIR)/$(BUILD)/install/posko \
	    MODULE=$(CURDIR)/$(BUILD)/ngx_http_posko_module.so scripts/deb.sh

# -- benchmarks and long tests --------------------------------------------

# the generated seasons' writer, which every bench script builds through
# this rule (make -s build/gen_wal) before it runs
$(BUILD)/gen_wal: bench/gen_wal.c $(SHARED_SRC) $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $< $(SHARED_SRC) $(SHARED_LIBS)

# requests per second and latency of the intake against nginx's own
# `return 204`, measured in the same run (bench/run.sh); ingest against
# sqlite3's .import (bench/ingest.sh); the report for seasons of 10k,
# 100k and 1M complaints (bench/report.sh); the status page's lookups
# against `return 204` (bench/status.sh); the intake against Lua and
# PHP-FPM peers (bench/peers.sh)
bench: test-deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh
	@bench/ingest.sh
	@bench/report.sh
	@bench/status.sh
	@bench/peers.sh

# Every bench script once, at a tiny size, so that none rots unnoticed:
# each must exit 0; no timing is asserted, and the tables go to
# build/bench-smoke/.  The peers whose packages are not installed are
# left out (a SKIPPED line says so).  make test runs it.
BENCH_SMOKE := BENCH_OUT=$(CURDIR)/$(BUILD)/bench-smoke BENCH_SECONDS=1 \
    BENCH_WARMUP=1 BENCH_ROUNDS=1 BENCH_CONNECTIONS=16 \
    BENCH_INGEST_COUNT=2000 BENCH_REPORT_COUNTS=500 BENCH_REPORT_RUNS=1 \
    BENCH_STATUS_COUNT=500 BENCH_PEERS_INSTALL=no

bench-smoke: all $(BUILD)/gen_wal
	@mkdir -p $(BUILD)/bench-smoke
	@for s in run ingest report status peers; do \
	    log=$(BUILD)/bench-smoke/$$s.log; start=$$(date +%s); \
	    $(BENCH_SMOKE) bench/$$s.sh >$$log 2>&1 || \
	        { cat $$log; echo "bench-smoke: bench/$$s.sh FAILED"; exit 1; }; \
	    grep -h 'SKIPPED' $$log || true; \
	    echo "bench-smoke: bench/$$s.sh ok ($$(( $$(date +%s) - start )) s)"; \
	done

# only the ingest benchmark (BENCH_INGEST_COUNT complaints, default 1000000)
bench-ingest: test-deps
	@$(MAKE) --no-print-directory all
	@bench/ingest.sh

# only the intake against Lua and PHP-FPM + SQLite peers (bench/peers.sh)
bench-peers: test-deps
	@$(MAKE) --no-print-directory all
	@bench/peers.sh

# only the report benchmark (BENCH_REPORT_COUNTS, default 10000 100000 1000000)
bench-report: test-deps
	@$(MAKE) --no-print-directory all
	@bench/report.sh

# the crash test of t/module/12-crash.t with many more kills than make
# test's, at moments drawn anew each run (make test's are always the same)
crash-long: test-deps
	@$(MAKE) --no-print-directory all
	POSKO_CRASH_ROUNDS=$${POSKO_CRASH_ROUNDS:-40} \
	    POSKO_CRASH_SEED=$${POSKO_CRASH_SEED:-$$(date +%s)} \
	    prove -v t/module/12-crash.t

# -- running ---------------------------------------------------------------

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

format:
	clang-format -i include/*.[ch] batch/*.[ch] tests/*.c

clean:
	rm -rf $(BUILD)
