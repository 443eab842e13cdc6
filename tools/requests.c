/* Control requests waiting for the sharer's answer (--on-request ask): the
 * terminal prompt and `rdpshare ctl requests|grant|deny` share this table.
 * Owner thread only, like every session call. */
#include <stdio.h>

#include "tool.h"

#define MAX_PENDING 64

static struct {
	int id;
	enum rdpshare_ctrl_level level;
} pending[MAX_PENDING];
static int n_pending;

void requests_add(int id, enum rdpshare_ctrl_level level)
{
	for (int i = 0; i < n_pending; i++) {
		if (pending[i].id == id) {
			pending[i].level = level; /* the newest request replaces the older */
			return;
		}
	}
	if (n_pending == MAX_PENDING) {
		for (int i = 1; i < n_pending; i++) {
			pending[i - 1] = pending[i]; /* forget the oldest */
		}
		n_pending--;
	}
	pending[n_pending].id = id;
	pending[n_pending].level = level;
	n_pending++;
}

static bool take(int id, enum rdpshare_ctrl_level *level)
{
	for (int i = 0; i < n_pending; i++) {
		if (pending[i].id == id) {
			*level = pending[i].level;
			pending[i] = pending[--n_pending];
			return true;
		}
	}
	return false;
}

int requests_oldest(void)
{
	return n_pending ? pending[0].id : -1;
}

int requests_answer(rdpshare_session *s, int id, bool grant)
{
	enum rdpshare_ctrl_level level;
	if (!take(id, &level)) {
		return RDPSHARE_E_NOT_FOUND;
	}
	rdpshare_attendee *a = rdpshare_session_find_attendee(s, id);
	if (!a) {
		return RDPSHARE_E_GONE;
	}
	int r = RDPSHARE_OK;
	if (grant) {
		r = rdpshare_attendee_set_control_level(a, level);
	}
	if (r == RDPSHARE_OK) {
		r = rdpshare_attendee_send_control_level_change_response(a, level, grant ? 0 : 1);
	}
	return r;
}

void requests_forget(int id)
{
	enum rdpshare_ctrl_level level;
	take(id, &level);
}

void requests_json(struct sbuf *b)
{
	sb_printf(b, "{\"ok\":true,\"requests\":[");
	for (int i = 0; i < n_pending; i++) {
		sb_printf(b, "%s{\"id\":%d,\"level\":\"%s\"}", i ? "," : "", pending[i].id,
		          rdpshare_ctrl_level_name(pending[i].level));
	}
	sb_printf(b, "]}");
}
