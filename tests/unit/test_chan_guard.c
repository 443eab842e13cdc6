/* The channel caps (src/rdp/chan_guard.c): static messages are refused as
 * soon as a declared total or what arrived passes their channel's cap,
 * whatever the chunk flags say; a DATA_FIRST on drdynvc may not declare
 * more than its dynamic channel takes; DVC headers parse as MS-RDPEDYC 2.2
 * lays them out and hostile ones never read past what arrived. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rdp/chan_guard.h"

#define FIRST CHAN_GUARD_FIRST
#define LAST CHAN_GUARD_LAST

static const uint8_t zeros[8192];

/* dynamic channel 7 is an application channel of 1,024 bytes, 9 the
 * graphics pipeline; anything else is unknown */
static size_t fake_dvc_cap(void *arg, uint32_t id)
{
	(*(int *)arg)++;
	return id == 7 ? 1024 : id == 9 ? CHAN_CAP_GFX : CHAN_CAP_DVC_OTHER;
}

static void test_static_caps_by_name(void **state)
{
	(void)state;
	assert_int_equal(chan_guard_static_cap("encomsp"), CHAN_CAP_ENCOMSP);
	assert_int_equal(chan_guard_static_cap("ENCOMSP"), CHAN_CAP_ENCOMSP);
	assert_int_equal(chan_guard_static_cap("cliprdr"), CHAN_CAP_CLIPRDR);
	assert_int_equal(chan_guard_static_cap("drdynvc"), CHAN_CAP_DRDYNVC);
	assert_int_equal(chan_guard_static_cap("rdpsnd"), CHAN_CAP_STATIC_OTHER);
	assert_int_equal(chan_guard_static_cap(NULL), CHAN_CAP_STATIC_OTHER);
	/* the clipboard takes the largest text the sharer keeps, in UTF-16 */
	assert_true(CHAN_CAP_CLIPRDR >= 2 * (size_t)CLIPBOARD_MAX_TEXT + 2 + 8);
	/* the graphics pipeline takes a full cache import offer */
	assert_true(CHAN_CAP_GFX >= 8 + 2 + 5462 * 12);
}

static void test_static_within_cap_passes(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	/* a 4 KiB encomsp message in three chunks, twice */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(chan_guard_chunk(&g, 1004, "encomsp", zeros, 1600, FIRST, 4096),
		                 0);
		assert_int_equal(chan_guard_chunk(&g, 1004, "encomsp", zeros, 1600, 0, 4096), 0);
		assert_int_equal(chan_guard_chunk(&g, 1004, "encomsp", zeros, 896, LAST, 4096), 0);
	}
	/* a channel not joined is not buffered by FreeRDP: nothing to count */
	assert_int_equal(chan_guard_chunk(&g, 1999, NULL, zeros, 8192, FIRST, SIZE_MAX), 0);
	assert_false(g.refused);
}

static void test_static_declared_total_over_cap(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	assert_int_equal(chan_guard_chunk(&g, 1004, "encomsp", zeros, 16, FIRST, (size_t)512 << 20),
	                 -EMSGSIZE);
	assert_true(g.refused);
	/* latched: even a harmless chunk after it is refused */
	assert_int_equal(chan_guard_chunk(&g, 1005, "cliprdr", zeros, 4, FIRST | LAST, 4),
	                 -EMSGSIZE);
}

/* A clipboard text over the cap is passed over, not an attack: the viewer
 * stays, and the next message is taken again. */
static void test_clipboard_over_cap_skipped(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	size_t big = CHAN_CAP_CLIPRDR + 1;
	assert_int_equal(chan_guard_chunk(&g, 1005, "cliprdr", zeros, 1600, FIRST, big),
	                 CHAN_GUARD_SKIP);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(chan_guard_chunk(&g, 1005, "cliprdr", zeros, 1600, 0, big),
		                 CHAN_GUARD_SKIP);
	}
	assert_int_equal(chan_guard_chunk(&g, 1005, "cliprdr", zeros, 1600, LAST, big),
	                 CHAN_GUARD_SKIP);
	assert_false(g.refused);
	assert_int_equal(chan_guard_chunk(&g, 1005, "cliprdr", zeros, 4, FIRST | LAST, 4), 0);
	/* a total that lies small: passed on until the bytes pass the cap */
	size_t got = 0;
	int r = 0;
	for (int i = 0; r == 0; i++) {
		r = chan_guard_chunk(&g, 1005, "cliprdr", zeros, 1600, i == 0 ? FIRST : 0, 100);
		got += r == 0 ? 1600 : 0;
	}
	assert_int_equal(r, CHAN_GUARD_SKIP);
	assert_true(got <= CHAN_CAP_CLIPRDR);
	assert_false(g.refused);
}

static void test_static_lying_total(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	/* total says small, the chunks keep coming without LAST */
	int r = 0;
	size_t sent = 0;
	for (int i = 0; i < 10 && r == 0; i++) {
		r = chan_guard_chunk(&g, 1004, "encomsp", zeros, 1600, i == 0 ? FIRST : 0, 100);
		sent += r == 0 ? 1600 : 0;
	}
	assert_int_equal(r, -EMSGSIZE);
	assert_true(sent <= CHAN_CAP_ENCOMSP);
}

static void test_static_no_first_flags(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	/* chunks that never say FIRST or LAST add up as FreeRDP adds them */
	int r = 0;
	size_t sent = 0;
	while (r == 0 && sent < 10 * CHAN_CAP_DRDYNVC) {
		r = chan_guard_chunk(&g, 1006, "drdynvc", zeros, 1000, 0, 0);
		sent += 1000;
	}
	assert_int_equal(r, -EMSGSIZE);
	assert_true(sent <= CHAN_CAP_DRDYNVC + 1000);
	/* FIRST restarts the count; LAST ends the message */
	chan_guard_init(&g, NULL, NULL);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(chan_guard_chunk(&g, 1006, "drdynvc", zeros, 1000, FIRST, 1000),
		                 0);
		assert_int_equal(chan_guard_chunk(&g, 1007, "cliprdr", zeros, 1000, 0, 1000), 0);
		assert_int_equal(chan_guard_chunk(&g, 1007, "cliprdr", zeros, 0, LAST, 1000), 0);
	}
	/* one chunk larger than the cap on its own */
	assert_int_equal(chan_guard_chunk(&g, 1008, "rdpsnd", zeros, CHAN_CAP_STATIC_OTHER + 1,
	                                  FIRST | LAST, CHAN_CAP_STATIC_OTHER + 1),
	                 -EMSGSIZE);
}

static void test_static_many_channels(void **state)
{
	(void)state;
	struct chan_guard g;
	chan_guard_init(&g, NULL, NULL);
	for (int i = 0; i < CHAN_GUARD_SLOTS; i++) {
		assert_int_equal(
		    chan_guard_chunk(&g, (uint16_t)(1004 + i), "x", zeros, 1, FIRST | LAST, 1), 0);
	}
	/* more than MCS lets a client join */
	assert_int_equal(chan_guard_chunk(&g, 2000, "y", zeros, 1, FIRST | LAST, 1), -ENOSPC);
	assert_true(g.refused);
}

static void test_dvc_header_parse(void **state)
{
	(void)state;
	struct dvc_header h;
	/* DATA_FIRST, 1-byte id 7, 4-byte Length 0x100000000-1 */
	static const uint8_t df[] = {0x28, 7, 0xFF, 0xFF, 0xFF, 0xFF};
	assert_int_equal(dvc_header_parse(df, sizeof(df), &h), 0);
	assert_int_equal(h.cmd, DVC_CMD_DATA_FIRST);
	assert_int_equal(h.channel_id, 7);
	assert_int_equal(h.length, 0xFFFFFFFFu);
	assert_int_equal(h.size, 6);
	/* 4-byte id, 2-byte Length */
	static const uint8_t df2[] = {0x26, 1, 2, 3, 4, 0x34, 0x12};
	assert_int_equal(dvc_header_parse(df2, sizeof(df2), &h), 0);
	assert_int_equal(h.channel_id, 0x04030201u);
	assert_int_equal(h.length, 0x1234);
	assert_int_equal(h.size, 7);
	/* DATA: no Length; the Sp bits mean nothing */
	static const uint8_t data[] = {0x3D, 0x01, 0x02};
	assert_int_equal(dvc_header_parse(data, sizeof(data), &h), 0);
	assert_int_equal(h.cmd, DVC_CMD_DATA);
	assert_int_equal(h.channel_id, 0x0201);
	assert_int_equal(h.length, 0);
	/* capabilities: no id at all, whatever cbChId says */
	static const uint8_t caps[] = {0x53};
	assert_int_equal(dvc_header_parse(caps, sizeof(caps), &h), 0);
	assert_int_equal(h.cmd, DVC_CMD_CAPS);
	assert_int_equal(h.size, 1);
}

static void test_dvc_header_hostile(void **state)
{
	(void)state;
	struct dvc_header h = {.cmd = 99};
	assert_int_equal(dvc_header_parse(NULL, 0, &h), -EAGAIN);
	/* truncated at every point */
	static const uint8_t df[] = {0x2A, 1, 2, 3, 4, 5, 6, 7, 8};
	for (size_t n = 1; n < sizeof(df); n++) {
		assert_int_equal(dvc_header_parse(df, n, &h), -EAGAIN);
	}
	assert_int_equal(dvc_header_parse(df, sizeof(df), &h), 0);
	assert_int_equal(h.size, 9);
	/* size code 3 for the id or the Length */
	static const uint8_t bad_id[] = {0x33, 1, 2, 3, 4, 5};
	assert_int_equal(dvc_header_parse(bad_id, sizeof(bad_id), &h), -EINVAL);
	static const uint8_t bad_len[] = {0x2C, 1, 2, 3, 4, 5};
	assert_int_equal(dvc_header_parse(bad_len, sizeof(bad_len), &h), -EINVAL);
	assert_int_equal(h.size, 9); /* *out untouched on failure */
}

/* a drdynvc message of one DVC PDU, in chunks of at most chunk bytes */
static int send_dvc(struct chan_guard *g, const uint8_t *pdu, size_t n, size_t chunk)
{
	for (size_t off = 0; off < n; off += chunk) {
		size_t len = n - off < chunk ? n - off : chunk;
		uint32_t flags = (off == 0 ? FIRST : 0) | (off + len == n ? LAST : 0);
		int r = chan_guard_chunk(g, 1006, "drdynvc", pdu + off, len, flags, n);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

static void test_dvc_data_first_caps(void **state)
{
	(void)state;
	int calls = 0;
	struct chan_guard g;
	chan_guard_init(&g, fake_dvc_cap, &calls);
	/* 1,024 bytes declared on the application channel: fine */
	uint8_t ok[1600] = {0x24, 7, 0x00, 0x04};
	assert_int_equal(send_dvc(&g, ok, sizeof(ok), 1600), 0);
	assert_int_equal(calls, 1);
	/* a full cache import offer on the graphics pipeline, 2-byte id */
	uint8_t gfx[] = {0x29, 9, 0, 0, 0, 0, 0};
	for (int i = 0; i < 4; i++) {
		gfx[3 + i] = (uint8_t)((8u + 2 + 5462 * 12) >> (8 * i));
	}
	assert_int_equal(send_dvc(&g, gfx, sizeof(gfx), 1600), 0);
	/* plain DATA and other PDUs are bounded by the static cap alone */
	static const uint8_t data[] = {0x30, 7, 'h', 'i'};
	assert_int_equal(send_dvc(&g, data, sizeof(data), 1600), 0);
	assert_int_equal(calls, 2);
	assert_false(g.refused);
	/* one byte over on the application channel */
	uint8_t over[8] = {0x24, 7, 0x01, 0x04};
	assert_int_equal(send_dvc(&g, over, sizeof(over), 1600), -EMSGSIZE);
	assert_true(g.refused);
}

static void test_dvc_data_first_hostile(void **state)
{
	(void)state;
	int calls = 0;
	struct chan_guard g;
	/* 4 GiB declared, header split over one-byte chunks */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	static const uint8_t huge[] = {0x28, 7, 0xFF, 0xFF, 0xFF, 0xFF, 'x', 'y'};
	assert_int_equal(send_dvc(&g, huge, sizeof(huge), 1), -EMSGSIZE);
	/* an unknown channel gets the smallest cap */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	static const uint8_t unknown[] = {0x24, 42, 0x41, 0x06};
	assert_int_equal(send_dvc(&g, unknown, sizeof(unknown), 1600), -EMSGSIZE);
	chan_guard_init(&g, fake_dvc_cap, &calls);
	static const uint8_t unknown_ok[] = {0x24, 42, 0x40, 0x06};
	assert_int_equal(send_dvc(&g, unknown_ok, sizeof(unknown_ok), 1600), 0);
	/* no callback: every dynamic channel is unknown */
	chan_guard_init(&g, NULL, NULL);
	assert_int_equal(send_dvc(&g, unknown, sizeof(unknown), 1600), -EMSGSIZE);
	/* a DATA_FIRST whose Length has no size */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	static const uint8_t bad[] = {0x2C, 7, 1, 2, 3, 4};
	assert_int_equal(send_dvc(&g, bad, sizeof(bad), 1600), -EMSGSIZE);
	/* a truncated DATA_FIRST: FreeRDP refuses it itself, nothing reserved */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	static const uint8_t cut[] = {0x28, 7, 0xFF};
	assert_int_equal(send_dvc(&g, cut, sizeof(cut), 1600), 0);
	/* the header of a message that started without FIRST counts too */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	assert_int_equal(chan_guard_chunk(&g, 1006, "drdynvc", huge, 3, 0, 0), 0);
	assert_int_equal(chan_guard_chunk(&g, 1006, "drdynvc", huge + 3, 5, LAST, 0), -EMSGSIZE);
	/* an empty message */
	chan_guard_init(&g, fake_dvc_cap, &calls);
	assert_int_equal(chan_guard_chunk(&g, 1006, "drdynvc", zeros, 0, FIRST | LAST, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_caps_by_name),
	    cmocka_unit_test(test_static_within_cap_passes),
	    cmocka_unit_test(test_static_declared_total_over_cap),
	    cmocka_unit_test(test_static_lying_total),
	    cmocka_unit_test(test_clipboard_over_cap_skipped),
	    cmocka_unit_test(test_static_no_first_flags),
	    cmocka_unit_test(test_static_many_channels),
	    cmocka_unit_test(test_dvc_header_parse),
	    cmocka_unit_test(test_dvc_header_hostile),
	    cmocka_unit_test(test_dvc_data_first_caps),
	    cmocka_unit_test(test_dvc_data_first_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
