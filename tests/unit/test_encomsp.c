/* The multiparty channel codec: PDUs built byte for byte as MS-RDPEMC 2.2
 * lays them out, and a parser that rejects every malformed framing. (The
 * end-to-end tests check the same PDUs against xfreerdp's encomsp client.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rdp/encomsp.h"

static void test_participant_created_layout(void **state)
{
	(void)state;
	struct encomsp_buf b = {0};
	encomsp_participant_created(&b, 0x01020304, 0, ENCOMSP_MAY_VIEW | ENCOMSP_IS_PARTICIPANT,
	                            "Zoë");
	static const uint8_t want[] = {0x08, 0x00, 0x16, 0x00,              /* type, length 22 */
	                               0x04, 0x03, 0x02, 0x01,              /* participant id */
	                               0x00, 0x00, 0x00, 0x00,              /* group id */
	                               0x05, 0x00,                          /* flags */
	                               0x03, 0x00,                          /* 3 UTF-16 units */
	                               'Z',  0x00, 'o',  0x00, 0xEB, 0x00}; /* "Zoë" */
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.p, want, sizeof(want));
	encomsp_buf_free(&b);
}

static void test_other_pdus_layout(void **state)
{
	(void)state;
	struct encomsp_buf b = {0};
	encomsp_participant_removed(&b, 7, ENCOMSP_DISC_CLI, 0xD0000001u);
	encomsp_ctrl_change_response(&b, ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT, 7, 1);
	encomsp_graphics_stream(&b, 1);
	encomsp_graphics_stream(&b, 0);
	static const uint8_t want[] = {
	    0x07, 0x00, 0x10, 0x00, 7,    0,    0, 0, 2, 0, 0, 0, 0x01, 0x00,
	    0x00, 0xD0,                                                    /* removed */
	    0x0D, 0x00, 0x0E, 0x00, 0x03, 0x00, 7, 0, 0, 0, 1, 0, 0,    0, /* response */
	    0x0A, 0x00, 0x04, 0x00,                                        /* paused */
	    0x0B, 0x00, 0x04, 0x00,                                        /* resumed */
	};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.p, want, sizeof(want));
	encomsp_buf_free(&b);
}

static void test_names_utf16(void **state)
{
	(void)state;
	/* a non-BMP character becomes a surrogate pair; broken UTF-8 U+FFFD */
	struct encomsp_buf b = {0};
	encomsp_participant_created(&b, 1, 0, 0, "\xF0\x9F\x98\x80\xC3");
	const uint8_t *p = b.p + 14;
	assert_int_equal(p[0] | p[1] << 8, 3);
	assert_int_equal(p[2] | p[3] << 8, 0xD83D);
	assert_int_equal(p[4] | p[5] << 8, 0xDE00);
	assert_int_equal(p[6] | p[7] << 8, 0xFFFD);
	encomsp_buf_free(&b);
	/* names are cut at 1024 UTF-16 units, never inside a pair */
	char long_name[1100 * 4 + 1];
	memset(long_name, 'a', 1023);
	for (int i = 0; i < 10; i++) {
		memcpy(long_name + 1023 + 4 * i, "\xF0\x9F\x98\x80", 4);
	}
	long_name[1023 + 40] = '\0';
	encomsp_participant_created(&b, 1, 0, 0, long_name);
	p = b.p + 14;
	assert_int_equal(p[0] | p[1] << 8, 1023);
	assert_int_equal(b.len, 16 + 2 * 1023);
	encomsp_buf_free(&b);
}

static void test_parse_requests(void **state)
{
	(void)state;
	static const uint8_t two[] = {0x09, 0x00, 0x0A, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
	                              0x00, 0x06, 0x00, 0x08, 0x00, 0x2A, 0x00, 0x00, 0x00};
	struct encomsp_pdu pdu;
	int used = encomsp_parse(two, sizeof(two), &pdu);
	assert_int_equal(used, 10);
	assert_int_equal(pdu.type, ENCOMSP_PARTICIPANT_CTRL_CHANGE);
	assert_int_equal(pdu.flags, ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT);
	assert_int_equal(pdu.id, 0);
	used = encomsp_parse(two + 10, sizeof(two) - 10, &pdu);
	assert_int_equal(used, 8);
	assert_int_equal(pdu.type, ENCOMSP_WND_SHOW);
	assert_int_equal(pdu.id, 42);
	/* unknown types are framed by their length and skipped by callers */
	static const uint8_t unknown[] = {0x42, 0x00, 0x06, 0x00, 0xAA, 0xBB};
	assert_int_equal(encomsp_parse(unknown, sizeof(unknown), &pdu), 6);
	assert_int_equal(pdu.type, 0x42);
}

/* What rdpview reads back: the sharer's PDUs parse to what was built. */
static void test_viewer_side_round_trip(void **state)
{
	(void)state;
	struct encomsp_buf b = {0};
	encomsp_participant_created(&b, 9, 0, ENCOMSP_MAY_VIEW | ENCOMSP_MAY_INTERACT,
	                            "Zoë \xF0\x9F\x98\x80");
	encomsp_participant_removed(&b, 9, ENCOMSP_DISC_APP, 0);
	encomsp_ctrl_change_response(&b, ENCOMSP_REQUEST_VIEW, 9, 1);
	encomsp_ctrl_change(&b, ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT, 0);
	static struct encomsp_pdu pdu;
	size_t off = 0;
	int used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_true(used > 0);
	assert_int_equal(pdu.type, ENCOMSP_PARTICIPANT_CREATED);
	assert_int_equal(pdu.id, 9);
	assert_int_equal(pdu.flags, ENCOMSP_MAY_VIEW | ENCOMSP_MAY_INTERACT);
	assert_string_equal(pdu.name, "Zoë \xF0\x9F\x98\x80");
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_PARTICIPANT_REMOVED);
	assert_int_equal(pdu.disc_type, ENCOMSP_DISC_APP);
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE);
	assert_int_equal(pdu.reason, 1);
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_PARTICIPANT_CTRL_CHANGE);
	assert_int_equal(pdu.flags, ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT);
	off += (size_t)used;
	assert_int_equal(off, b.len);
	/* a name claiming more characters than the PDU holds */
	static const uint8_t liar[] = {0x08, 0x00, 0x12, 0x00, 1,    0,    0,    0,   0,
	                               0,    0,    0,    0x01, 0x00, 0x09, 0x00, 'A', 0x00};
	assert_int_equal(encomsp_parse(liar, sizeof(liar), &pdu), -1);
	encomsp_buf_free(&b);
}

static void test_parse_hostile(void **state)
{
	(void)state;
	struct encomsp_pdu pdu;
	static const uint8_t short_hdr[] = {0x09, 0x00, 0x0A};
	assert_int_equal(encomsp_parse(short_hdr, sizeof(short_hdr), &pdu), -1);
	static const uint8_t len_small[] = {0x09, 0x00, 0x03, 0x00};
	assert_int_equal(encomsp_parse(len_small, sizeof(len_small), &pdu), -1);
	static const uint8_t len_zero[] = {0x0A, 0x00, 0x00, 0x00};
	assert_int_equal(encomsp_parse(len_zero, sizeof(len_zero), &pdu), -1);
	static const uint8_t len_past_end[] = {0x09, 0x00, 0xFF, 0xFF, 0x03, 0x00};
	assert_int_equal(encomsp_parse(len_past_end, sizeof(len_past_end), &pdu), -1);
	/* a control request whose body is too short for its fields */
	static const uint8_t body_short[] = {0x09, 0x00, 0x08, 0x00, 0x03, 0x00, 0x01, 0x00};
	assert_int_equal(encomsp_parse(body_short, sizeof(body_short), &pdu), -1);
	static const uint8_t show_short[] = {0x06, 0x00, 0x06, 0x00, 0x01, 0x00};
	assert_int_equal(encomsp_parse(show_short, sizeof(show_short), &pdu), -1);
	assert_int_equal(encomsp_parse(NULL, 0, &pdu), -1);
}

/* The application filter's PDUs (MS-RDPEMC 2.2.3.1-2.2.3.6), byte for
 * byte, and back through the parser as a viewer reads them. */
static void test_filter_pdus(void **state)
{
	(void)state;
	struct encomsp_buf b = {0};
	encomsp_filter_state(&b, 1);
	encomsp_app_created(&b, ENCOMSP_APP_SHARED, 0x1234, "ed");
	encomsp_wnd_created(&b, 0, 0x1234, 0x00400001, "x");
	encomsp_wnd_removed(&b, 0x00400001);
	encomsp_app_removed(&b, 0x1234);
	encomsp_wnd_show(&b, 0x00400001);
	static const uint8_t want[] = {
	    0x01, 0x00, 0x05, 0x00, 0x01,                         /* filter on */
	    0x03, 0x00, 0x10, 0x00, 0x01, 0x00, 0x34, 0x12, 0x00, /* app created, flags, id */
	    0x00, 0x02, 0x00, 'e',  0x00, 'd',  0x00,             /* "ed" */
	    0x05, 0x00, 0x12, 0x00, 0x00, 0x00, 0x34, 0x12, 0x00, /* wnd created, flags, app */
	    0x00, 0x01, 0x00, 0x40, 0x00, 0x01, 0x00, 'x',  0x00, /* wnd id, "x" */
	    0x04, 0x00, 0x08, 0x00, 0x01, 0x00, 0x40, 0x00,       /* wnd removed */
	    0x02, 0x00, 0x08, 0x00, 0x34, 0x12, 0x00, 0x00,       /* app removed */
	    0x06, 0x00, 0x08, 0x00, 0x01, 0x00, 0x40, 0x00,       /* show window */
	};
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.p, want, sizeof(want));
	struct encomsp_pdu pdu;
	size_t off = 0;
	int used = encomsp_parse(b.p, b.len, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_FILTER_STATE_UPDATED);
	assert_int_equal(pdu.flags, ENCOMSP_FILTER_ENABLED);
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_APP_CREATED);
	assert_int_equal(pdu.id, 0x1234);
	assert_int_equal(pdu.flags, ENCOMSP_APP_SHARED);
	assert_string_equal(pdu.name, "ed");
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_WND_CREATED);
	assert_int_equal(pdu.app, 0x1234);
	assert_int_equal(pdu.id, 0x00400001);
	assert_string_equal(pdu.name, "x");
	off += (size_t)used;
	used = encomsp_parse(b.p + off, b.len - off, &pdu);
	assert_int_equal(pdu.type, ENCOMSP_WND_REMOVED);
	assert_int_equal(pdu.id, 0x00400001);
	encomsp_buf_free(&b);
	/* a window name that claims more characters than the PDU holds */
	static const uint8_t lying[] = {0x05, 0x00, 0x10, 0x00, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 9, 0};
	assert_int_equal(encomsp_parse(lying, sizeof(lying), &pdu), -1);
	static const uint8_t no_flags[] = {0x01, 0x00, 0x04, 0x00};
	assert_int_equal(encomsp_parse(no_flags, sizeof(no_flags), &pdu), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_participant_created_layout),
	    cmocka_unit_test(test_other_pdus_layout),
	    cmocka_unit_test(test_names_utf16),
	    cmocka_unit_test(test_parse_requests),
	    cmocka_unit_test(test_parse_hostile),
	    cmocka_unit_test(test_viewer_side_round_trip),
	    cmocka_unit_test(test_filter_pdus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
