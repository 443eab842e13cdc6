# rdpshare — build, test, install.
#   make                 library, tools, pkg-config file in build/
#   make SAN=1 BUILD=build-asan   the same under AddressSanitizer + UBSan
#   make check           build both and run every test (tests/run.sh)
#   make fuzz            libFuzzer targets in build-fuzz/
#   make soak            long runs: 1000-cycle churn under ASan, slow viewers
#                        for 60 s, every fuzz target for 10 million runs
#   make install PREFIX=/usr/local

BUILD ?= build
PREFIX ?= /usr/local
VERSION := 0.1.0
SONAME := librdpshare.so.0

# FreeRDP stays behind its edge (DESIGN.md §3): only objects in these folders
# get FreeRDP's and WinPR's compiler flags, so an include of a FreeRDP header
# anywhere else fails to compile.
FREERDP_PKGS := freerdp3 freerdp-server3 winpr3
FREERDP_DIRS := src/rdp src/encode tools/rdpview
FREERDP_CFLAGS := $(shell pkg-config --cflags $(FREERDP_PKGS))
SYS_PKGS := x11 xext xdamage xfixes xtst xi xres openssl x264
PKG_CFLAGS := $(shell pkg-config --cflags $(SYS_PKGS))
PKG_LIBS := $(shell pkg-config --libs $(FREERDP_PKGS) $(SYS_PKGS))
# FreeRDP's flags for $< when it lives in one of FREERDP_DIRS
freerdp_cflags = $(if $(filter $(FREERDP_DIRS:%=%/%),$<),$(FREERDP_CFLAGS))

CC ?= cc
OPT := -O2
ifeq ($(SAN),1)
OPT := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
WARN := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(WARN) -g $(OPT) -fPIC -Iinclude -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := $(filter -fsanitize=%,$(OPT)) $(LDFLAGS)

# The helpers (src/util/: clock, wake-up fd, random strings, parsers ...) are
# pure C, compiled once into one archive that the library, both tools, the
# unit tests and the benchmarks link; the fuzzers compile the same list with
# clang (build-fuzz/libutil-fuzz.a).
UTIL_SRC := $(wildcard src/util/*.c)
UTIL_OBJ := $(UTIL_SRC:%.c=$(BUILD)/obj/%.o)
UTIL_LIB := $(BUILD)/libutil.a
LIB_SRC := $(wildcard src/*.c src/capture/*.c src/encode/*.c src/rdp/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TOOL_SRC := $(wildcard tools/*.c)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
# rdpview: a FreeRDP client; it shares the codecs of untrusted input with the
# library (encomsp compiled in, the helpers from libutil.a: they are not part
# of the library's API)
VIEW_SRC := $(wildcard tools/rdpview/*.c) tools/png_write.c src/rdp/encomsp.c
VIEW_OBJ := $(VIEW_SRC:%.c=$(BUILD)/obj/view/%.o)
VIEW_CFLAGS := $(shell pkg-config --cflags freerdp-client3)
VIEW_LIBS := $(shell pkg-config --libs freerdp-client3 freerdp3 winpr3 x11 openssl libpng)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# unit tests that decode with FreeRDP's own codecs (and so need its flags)
UNIT_FREERDP := test_encoder test_vstream test_invfile_freerdp test_clip
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/%)

EXAMPLE_SRC := $(wildcard examples/*.c)
EXAMPLE_BIN := $(EXAMPLE_SRC:examples/%.c=$(BUILD)/examples/%)

all: $(BUILD)/librdpshare.so $(BUILD)/rdpshare $(BUILD)/rdpview $(BUILD)/rdpshare.pc \
	$(EXAMPLE_BIN)

# examples use only the public API, as the library's users do
$(BUILD)/examples/%: examples/%.c $(BUILD)/librdpshare.so
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< -L$(BUILD) -lrdpshare \
		-Wl,-rpath,'$$ORIGIN/..'


$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(freerdp_cflags) -MMD -MP -c $< -o $@

$(UTIL_LIB): $(UTIL_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/librdpshare.so.$(VERSION): $(LIB_OBJ) $(UTIL_LIB) src/rdpshare.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/rdpshare.map \
		$(LDFLAGS_ALL) -o $@ $(LIB_OBJ) $(UTIL_LIB) $(PKG_LIBS) -lpthread

$(BUILD)/librdpshare.so: $(BUILD)/librdpshare.so.$(VERSION)
	ln -sf librdpshare.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(BUILD)/rdpshare: $(TOOL_OBJ) $(UTIL_LIB) $(BUILD)/librdpshare.so Makefile
	$(CC) $(LDFLAGS_ALL) -o $@ $(TOOL_OBJ) $(UTIL_LIB) -L$(BUILD) -lrdpshare \
		$(shell pkg-config --libs libpng) -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' -lpthread

$(BUILD)/obj/view/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(FREERDP_CFLAGS) $(VIEW_CFLAGS) -Itools/rdpview -Itools -MMD -MP -c $< -o $@

$(BUILD)/rdpview: $(VIEW_OBJ) $(UTIL_LIB) $(BUILD)/librdpshare.so Makefile
	$(CC) $(LDFLAGS_ALL) -o $@ $(VIEW_OBJ) $(UTIL_LIB) -L$(BUILD) -lrdpshare $(VIEW_LIBS) \
		-Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' -lpthread

$(BUILD)/rdpshare.pc: rdpshare.pc.in
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Unit tests link the library's objects directly so they can reach internals.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJ) $(UTIL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(if $(filter $(UNIT_FREERDP),$(notdir $@)),$(FREERDP_CFLAGS)) \
		$(LDFLAGS_ALL) -o $@ $< $(LIB_OBJ) $(UTIL_LIB) $(PKG_LIBS) -lcmocka -lpthread

# a program of the library's users: only the public API
$(BUILD)/tests/transport_relay: tests/helpers/transport_relay.c $(BUILD)/librdpshare.so
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< -L$(BUILD) -lrdpshare \
		-Wl,-rpath,'$$ORIGIN/..'

# a hostile viewer on FreeRDP's client library (tests/e2e/test_channel_caps.sh)
$(BUILD)/tests/chan_flood: tests/helpers/chan_flood.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(FREERDP_CFLAGS) $(VIEW_CFLAGS) $(LDFLAGS_ALL) -o $@ $< \
		$(shell pkg-config --libs freerdp-client3 freerdp3 winpr3)

# a viewer flooding Refresh Rect on FreeRDP's client library (tests/e2e/test_refresh_flood.sh)
$(BUILD)/tests/refresh_flood: tests/helpers/refresh_flood.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(FREERDP_CFLAGS) $(VIEW_CFLAGS) $(LDFLAGS_ALL) -o $@ $< \
		$(shell pkg-config --libs freerdp-client3 freerdp3 winpr3)

$(BUILD)/tests/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(shell pkg-config --libs $(SYS_PKGS)) -lm

tests: all $(UNIT_BIN) $(HELPER_BIN) $(BENCH_BIN) $(BUILD)/tests/libenospc.so \
	$(BUILD)/tests/libsockopt.so

# fault injection and socket options for the end-to-end tests (LD_PRELOAD)
$(BUILD)/tests/lib%.so: tests/preload/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -o $@ $< -ldl

# benchmarks of internals (bench/*.c link the library's objects, as unit tests do)
bench: all $(BENCH_BIN) $(HELPER_BIN)
$(BUILD)/bench/bench_%: bench/bench_%.c $(LIB_OBJ) $(UTIL_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB_OBJ) $(UTIL_LIB) $(PKG_LIBS) -lpthread

check:
	tests/run.sh

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Isrc -Itools -Itools/rdpview
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
# the helpers (UTIL_SRC) instrumented for libFuzzer, linked by every target
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP \
		-c $< -o $@
build-fuzz/libutil-fuzz.a: $(UTIL_SRC:%.c=build-fuzz/obj/%.o)
	rm -f $@
	$(AR) rcs $@ $^
# each target with the parser it exercises when that is not a helper
build-fuzz/fuzz_encomsp: src/rdp/encomsp.c
build-fuzz/fuzz_ctl: tools/parse.c
build-fuzz/fuzz_vcframe: tools/rdpview/framing.c
build-fuzz/fuzz_changuard: src/rdp/chan_guard.c
build-fuzz/fuzz_throttle: src/throttle.c
build-fuzz/fuzz_%: fuzz/fuzz_%.c build-fuzz/libutil-fuzz.a
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $(filter %.c,$^) build-fuzz/libutil-fuzz.a

soak: tests fuzz
	$(MAKE) SAN=1 BUILD=build-asan tests
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		bash tests/soak/churn.sh build-asan 1000
	bash tests/soak/slow_viewers.sh $(BUILD) 60
	bash tests/soak/fuzz_long.sh 10000000

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BUILD)/librdpshare.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	ln -sf librdpshare.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/librdpshare.so
	install -m 0755 $(BUILD)/rdpshare $(BUILD)/rdpview $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 include/rdpshare.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' rdpshare.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/rdpshare.pc

clean:
	rm -rf build build-asan build-fuzz

.PHONY: soak all tests check fuzz install clean bench
-include $(LIB_OBJ:.o=.d) $(VIEW_OBJ:.o=.d) $(UTIL_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) \
	$(UTIL_SRC:%.c=build-fuzz/obj/%.d)
