/* The clipboard channel's permission (src/rdp/clip.c): what a viewer sends
 * is judged by the rule at the moment it arrives. A viewer demoted (or no
 * longer the clipboard's owner) after the connection's last pass may not
 * read or set the sharer's clipboard with the very next PDU (issue 15,
 * item 11). FreeRDP's channel context is a fake here: the callbacks are
 * driven as FreeRDP would drive them, and what they answer is recorded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rdp/clip.h"
#include "rdpshare.h"

static int data_requests, ok_responses, fail_responses;

static UINT fake_list_response(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_LIST_RESPONSE *r)
{
	(void)ctx;
	(void)r;
	return CHANNEL_RC_OK;
}

static UINT fake_data_request(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_DATA_REQUEST *rq)
{
	(void)ctx;
	(void)rq;
	data_requests++;
	return CHANNEL_RC_OK;
}

static UINT fake_data_response(CliprdrServerContext *ctx, const CLIPRDR_FORMAT_DATA_RESPONSE *r)
{
	(void)ctx;
	if (r->common.msgFlags & CB_RESPONSE_OK) {
		ok_responses++;
	} else {
		fail_responses++;
	}
	return CHANNEL_RC_OK;
}

/* the session's state as the rule reads it, changed by the test */
static struct host_state state;
static struct member_info me;

static bool fake_may_share(void *arg)
{
	(void)arg;
	return clip_rule(&state, &me);
}

static void setup(struct clip_chan *c, CliprdrServerContext *ctx)
{
	memset(c, 0, sizeof(*c));
	memset(ctx, 0, sizeof(*ctx));
	ctx->ServerFormatListResponse = fake_list_response;
	ctx->ServerFormatDataRequest = fake_data_request;
	ctx->ServerFormatDataResponse = fake_data_response;
	/* no X clipboard: the board is never touched while refused */
	clip_attach(c, ctx, NULL, fake_may_share, NULL);
	c->ctx = ctx;
	data_requests = ok_responses = fail_responses = 0;
	state = (struct host_state){.clipboard = true, .clip_owner = 7};
	me = (struct member_info){.id = 7, .level = RDPSHARE_CTRL_LEVEL_INTERACTIVE};
	/* the connection's last pass: this viewer may share */
	clip_sync(c, clip_rule(&state, &me));
}

static void test_rule(void **unused)
{
	(void)unused;
	struct host_state st = {.clipboard = true, .clip_owner = 7};
	struct member_info mi = {.id = 7, .level = RDPSHARE_CTRL_LEVEL_INTERACTIVE};
	assert_true(clip_rule(&st, &mi));
	mi.level = RDPSHARE_CTRL_LEVEL_VIEW;
	assert_false(clip_rule(&st, &mi));
	mi.level = RDPSHARE_CTRL_LEVEL_INTERACTIVE;
	st.clip_owner = 8; /* another became INTERACTIVE after it */
	assert_false(clip_rule(&st, &mi));
	st.clip_owner = 7;
	st.clipboard = false;
	assert_false(clip_rule(&st, &mi));
}

static void send_text_list(CliprdrServerContext *ctx)
{
	CLIPRDR_FORMAT format = {.formatId = CF_UNICODETEXT};
	CLIPRDR_FORMAT_LIST list = {
	    .common = {.msgType = CB_FORMAT_LIST}, .numFormats = 1, .formats = &format};
	assert_int_equal(ctx->ClientFormatList(ctx, &list), CHANNEL_RC_OK);
}

static void test_allowed_viewer_is_served(void **unused)
{
	(void)unused;
	struct clip_chan c;
	CliprdrServerContext ctx;
	setup(&c, &ctx);
	send_text_list(&ctx);
	assert_int_equal(data_requests, 1); /* its text is asked for */
	assert_int_equal(c.dropped, 0);
}

static void refused_all(struct clip_chan *c, CliprdrServerContext *ctx)
{
	uint64_t dropped = c->dropped;
	/* it copied something: its text is not asked for */
	send_text_list(ctx);
	assert_int_equal(data_requests, 0);
	/* it pastes: the sharer's clipboard is not read, the answer is "failed" */
	CLIPRDR_FORMAT_DATA_REQUEST rq = {.common = {.msgType = CB_FORMAT_DATA_REQUEST},
	                                  .requestedFormatId = CF_UNICODETEXT};
	assert_int_equal(ctx->ClientFormatDataRequest(ctx, &rq), CHANNEL_RC_OK);
	assert_int_equal(ok_responses, 0);
	assert_int_equal(fail_responses, 1);
	/* text it sends unasked is not put on the sharer's clipboard (the
	 * board is NULL: touching it would crash), a failure not asked again */
	static const BYTE text[] = {'h', 0, 'i', 0, 0, 0};
	CLIPRDR_FORMAT_DATA_RESPONSE d = {.common = {.msgType = CB_FORMAT_DATA_RESPONSE,
	                                             .msgFlags = CB_RESPONSE_OK,
	                                             .dataLen = sizeof(text)},
	                                  .requestedFormatData = text};
	assert_int_equal(ctx->ClientFormatDataResponse(ctx, &d), CHANNEL_RC_OK);
	d.common.msgFlags = CB_RESPONSE_FAIL;
	assert_int_equal(ctx->ClientFormatDataResponse(ctx, &d), CHANNEL_RC_OK);
	assert_int_equal(data_requests, 0);
	assert_int_equal(c->dropped, dropped + 4);
}

/* The connection's last pass saw this viewer INTERACTIVE and the owner
 * (setup's clip_sync); the demotion lands before its next pass, and the
 * viewer's PDUs are handled first. */
static void test_pdus_right_after_demotion(void **unused)
{
	(void)unused;
	struct clip_chan c;
	CliprdrServerContext ctx;
	setup(&c, &ctx);
	send_text_list(&ctx);
	assert_int_equal(data_requests, 1);
	data_requests = 0;
	me.level = RDPSHARE_CTRL_LEVEL_VIEW; /* ctl level ID view */
	refused_all(&c, &ctx);
}

static void test_pdus_right_after_owner_change(void **unused)
{
	(void)unused;
	struct clip_chan c;
	CliprdrServerContext ctx;
	setup(&c, &ctx);
	state.clip_owner = 8; /* another attendee became INTERACTIVE */
	refused_all(&c, &ctx);
	setup(&c, &ctx);
	state.clipboard = false; /* EnableClipboardRedirect turned off */
	refused_all(&c, &ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rule),
	    cmocka_unit_test(test_allowed_viewer_is_served),
	    cmocka_unit_test(test_pdus_right_after_demotion),
	    cmocka_unit_test(test_pdus_right_after_owner_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
