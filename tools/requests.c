/* Control requests waiting for the sharer's answer (--on-request ask): the
 * terminal prompt and `rdpshare ctl requests|grant|deny` answer them by
 * request id. The library keeps each waiting request, its level fixed
 * (rdpshare_attendee_get_control_request); this file only remembers the
 * last requests shown, so that an id that can no longer be answered gets a
 * clear reason (withdrawn for a newer one, answered, attendee gone).
 * Owner thread only, like every session call. */
#include <stdio.h>

#include "tool.h"

#define HISTORY 64

enum req_state { REQ_WAITING, REQ_SUPERSEDED, REQ_ANSWERED, REQ_GONE };

static struct shown {
	long id, by; /* by: the request that superseded it */
	int attendee;
	enum rdpshare_ctrl_level level;
	enum req_state state;
} shown[HISTORY];
static int n_shown, next_slot;

static struct shown *find(long id)
{
	for (int i = 0; i < n_shown; i++) {
		if (shown[i].id == id) {
			return &shown[i];
		}
	}
	return NULL;
}

long requests_shown(int attendee, long request, enum rdpshare_ctrl_level level)
{
	long older = 0;
	for (int i = 0; i < n_shown; i++) {
		if (shown[i].attendee == attendee && shown[i].state == REQ_WAITING &&
		    shown[i].id != request) {
			shown[i].state = REQ_SUPERSEDED;
			shown[i].by = request;
			older = shown[i].id;
		}
	}
	/* a ring: the oldest entry goes, its id then only gets "no pending" */
	shown[next_slot] = (struct shown){request, 0, attendee, level, REQ_WAITING};
	next_slot = (next_slot + 1) % HISTORY;
	if (n_shown < HISTORY) {
		n_shown++;
	}
	return older;
}

rdpshare_attendee *requests_find(rdpshare_session *s, long request, enum rdpshare_ctrl_level *level)
{
	for (int i = 0; i < rdpshare_session_attendee_count(s); i++) {
		rdpshare_attendee *a = rdpshare_session_attendee_at(s, i);
		if (request > 0 && rdpshare_attendee_get_control_request(a, level) == request) {
			return a;
		}
	}
	return NULL;
}

int requests_answer(rdpshare_session *s, long request, bool grant, char *why, size_t why_size)
{
	int r = rdpshare_session_answer_control_request(s, request, grant);
	struct shown *e = find(request);
	if (r == RDPSHARE_OK && e) {
		e->state = REQ_ANSWERED;
	}
	if (r != RDPSHARE_E_NOT_FOUND) {
		snprintf(why, why_size, "%s", rdpshare_strerror(r));
		return r;
	}
	const struct shown *by = e && e->state == REQ_SUPERSEDED ? find(e->by) : NULL;
	if (e && e->state == REQ_SUPERSEDED) {
		snprintf(why, why_size,
		         "no pending request %ld: withdrawn, attendee %d asked for %s instead "
		         "(request %ld)",
		         request, e->attendee,
		         rdpshare_ctrl_level_name(by ? by->level : RDPSHARE_CTRL_LEVEL_INVALID),
		         e->by);
	} else if (e && e->state == REQ_ANSWERED) {
		snprintf(why, why_size, "no pending request %ld: answered already", request);
	} else if (e && e->state == REQ_GONE) {
		snprintf(why, why_size, "no pending request %ld: attendee %d has left", request,
		         e->attendee);
	} else {
		snprintf(why, why_size, "no pending request %ld", request);
	}
	return r;
}

long requests_oldest(rdpshare_session *s)
{
	long oldest = 0;
	for (int i = 0; i < rdpshare_session_attendee_count(s); i++) {
		long id =
		    rdpshare_attendee_get_control_request(rdpshare_session_attendee_at(s, i), NULL);
		if (id > 0 && (oldest == 0 || id < oldest)) {
			oldest = id;
		}
	}
	return oldest;
}

void requests_forget(int attendee)
{
	for (int i = 0; i < n_shown; i++) {
		if (shown[i].attendee == attendee && shown[i].state == REQ_WAITING) {
			shown[i].state = REQ_GONE;
		}
	}
}

void requests_json(struct sbuf *b, rdpshare_session *s)
{
	sb_printf(b, "{\"ok\":true,\"requests\":[");
	bool first = true;
	/* oldest first, as the prompt takes them */
	for (long last = 0;;) {
		long next = 0;
		rdpshare_attendee *who = NULL;
		enum rdpshare_ctrl_level level = RDPSHARE_CTRL_LEVEL_INVALID;
		for (int i = 0; i < rdpshare_session_attendee_count(s); i++) {
			rdpshare_attendee *a = rdpshare_session_attendee_at(s, i);
			enum rdpshare_ctrl_level l;
			long id = rdpshare_attendee_get_control_request(a, &l);
			if (id > last && (next == 0 || id < next)) {
				next = id;
				who = a;
				level = l;
			}
		}
		if (!who) {
			break;
		}
		sb_printf(
		    b, "%s{\"id\":%ld,\"level\":\"%s\",\"attendee\":%d,\"name\":", first ? "" : ",",
		    next, rdpshare_ctrl_level_name(level), rdpshare_attendee_id(who));
		sb_json_str(b, rdpshare_attendee_remote_name(who));
		sb_printf(b, "}");
		first = false;
		last = next;
	}
	sb_printf(b, "]}");
}
