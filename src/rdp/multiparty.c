#include "rdp/multiparty.h"

#include <freerdp/channels/wtsvc.h>
#include <stdlib.h>
#include <string.h>
#include <winpr/wtsapi.h>

#include "rdp/encomsp.h"
#include "rdp/host.h"
#include "rdpshare.h"

static uint16_t level_flags(int level)
{
	switch (level) {
	case RDPSHARE_CTRL_LEVEL_INTERACTIVE:
		return ENCOMSP_MAY_VIEW | ENCOMSP_MAY_INTERACT;
	case RDPSHARE_CTRL_LEVEL_VIEW:
		return ENCOMSP_MAY_VIEW;
	default:
		return 0;
	}
}

void multiparty_open(struct multiparty *m, HANDLE vcm, int self_id, bool responses_ok)
{
	if (m->chan || !vcm) {
		return;
	}
	memset(m, 0, sizeof(*m));
	m->self_id = self_id;
	m->sent_paused = -1;
	m->responses_ok = responses_ok;
	if (WTSVirtualChannelManagerIsChannelJoined(vcm, "encomsp")) {
		m->chan = WTSVirtualChannelOpen(vcm, WTS_CURRENT_SESSION, "encomsp");
	}
}

void multiparty_close(struct multiparty *m)
{
	if (m->chan) {
		WTSVirtualChannelClose(m->chan);
		m->chan = NULL;
	}
	mp_filter_free(&m->told);
}

static bool write_out(struct multiparty *m, struct encomsp_buf *b)
{
	bool ok = !b->failed;
	if (ok && b->len > 0) {
		ULONG written = 0;
		ok = WTSVirtualChannelWrite(m->chan, (PCHAR)b->p, (ULONG)b->len, &written);
	}
	encomsp_buf_free(b);
	return ok;
}

static int find_sent(const struct multiparty *m, int id)
{
	for (int i = 0; i < m->n_sent; i++) {
		if (m->sent[i].id == id) {
			return i;
		}
	}
	return -1;
}

static void forget(struct multiparty *m, int i)
{
	m->sent[i] = m->sent[--m->n_sent];
}

bool multiparty_sync(struct multiparty *m, const struct roster_entry *roster, int n, bool paused)
{
	if (!m->chan) {
		return true;
	}
	struct encomsp_buf b = {0};
	for (int i = 0; i < n; i++) {
		const struct roster_entry *e = &roster[i];
		int at = find_sent(m, e->id);
		if (e->gone) {
			if (at >= 0) {
				encomsp_participant_removed(&b, (uint32_t)e->id, e->disc_type,
				                            e->disc_code);
				forget(m, at);
			}
			continue;
		}
		if (at >= 0 && m->sent[at].level == e->level) {
			continue;
		}
		/* A level change is told as the participant again with new
		 * flags (the mapping the reference infers from MS-RDPEMC 4.1.2). */
		uint16_t flags = level_flags(e->level);
		if (e->id == m->self_id) {
			flags |= ENCOMSP_IS_PARTICIPANT;
		}
		encomsp_participant_created(&b, (uint32_t)e->id, 0, flags, e->name);
		if (at < 0) {
			if (m->n_sent == ROSTER_MAX) {
				continue;
			}
			at = m->n_sent++;
		}
		m->sent[at].id = e->id;
		m->sent[at].level = e->level;
	}
	/* Someone vanished from the roster before we saw how they left. */
	for (int i = 0; i < m->n_sent;) {
		bool present = false;
		for (int j = 0; j < n && !present; j++) {
			present = roster[j].id == m->sent[i].id;
		}
		if (present) {
			i++;
			continue;
		}
		encomsp_participant_removed(&b, (uint32_t)m->sent[i].id, ENCOMSP_DISC_CLI, 0);
		forget(m, i);
	}
	if (m->sent_paused != (int)paused) {
		if (m->sent_paused >= 0 || paused) {
			encomsp_graphics_stream(&b, paused);
		}
		m->sent_paused = paused;
	}
	return write_out(m, &b);
}

static const struct mp_app *told_app(const struct mp_filter *f, uint32_t id)
{
	for (int i = 0; i < f->n_apps; i++) {
		if (f->apps[i].id == id) {
			return &f->apps[i];
		}
	}
	return NULL;
}

static const struct mp_wnd *told_wnd(const struct mp_filter *f, uint32_t id)
{
	for (int i = 0; i < f->n_wins; i++) {
		if (f->wins[i].id == id) {
			return &f->wins[i];
		}
	}
	return NULL;
}

int multiparty_sync_filter(struct multiparty *m, const struct mp_filter *f, bool may_see)
{
	if (!m->chan) {
		return 1;
	}
	static const struct mp_filter nothing;
	const struct mp_filter *now = may_see ? f : &nothing;
	const struct mp_filter *was = &m->told;
	struct encomsp_buf b = {0};
	/* withdrawn first, windows before their applications */
	for (int i = 0; i < was->n_wins; i++) {
		const struct mp_wnd *n = told_wnd(now, was->wins[i].id);
		if (!n || n->app != was->wins[i].app) {
			encomsp_wnd_removed(&b, was->wins[i].id);
		}
	}
	for (int i = 0; i < was->n_apps; i++) {
		if (!told_app(now, was->apps[i].id)) {
			encomsp_app_removed(&b, was->apps[i].id);
		}
	}
	if (may_see && (!m->told_state || was->enabled != now->enabled)) {
		encomsp_filter_state(&b, now->enabled);
	}
	/* new or changed (a change of flags or name is told as a new create,
	 * which MS-RDPEMC uses for sharing-state changes too) */
	for (int i = 0; i < now->n_apps; i++) {
		const struct mp_app *a = &now->apps[i], *o = told_app(was, a->id);
		if (!o || o->flags != a->flags || strcmp(o->name, a->name) != 0) {
			encomsp_app_created(&b, a->flags, a->id, a->name);
		}
	}
	for (int i = 0; i < now->n_wins; i++) {
		const struct mp_wnd *w = &now->wins[i], *o = told_wnd(was, w->id);
		if (!o || o->app != w->app || o->flags != w->flags ||
		    strcmp(o->name, w->name) != 0) {
			encomsp_wnd_created(&b, w->flags, w->app, w->id, w->name);
		}
	}
	struct mp_filter copy = {now->enabled, 0, 0, NULL, NULL};
	copy.apps = malloc(((size_t)now->n_apps + 1) * sizeof(*copy.apps));
	copy.wins = malloc(((size_t)now->n_wins + 1) * sizeof(*copy.wins));
	if (!copy.apps || !copy.wins || b.failed) {
		mp_filter_free(&copy);
		encomsp_buf_free(&b);
		return 0; /* told nothing */
	}
	copy.n_apps = now->n_apps;
	copy.n_wins = now->n_wins;
	if (now->n_apps > 0) {
		memcpy(copy.apps, now->apps, (size_t)now->n_apps * sizeof(*copy.apps));
	}
	if (now->n_wins > 0) {
		memcpy(copy.wins, now->wins, (size_t)now->n_wins * sizeof(*copy.wins));
	}
	mp_filter_free(&m->told);
	m->told = copy;
	m->told_state = m->told_state || may_see;
	m->may_see = may_see;
	return write_out(m, &b) ? 1 : -1;
}

bool multiparty_respond(struct multiparty *m, int level, uint32_t reason)
{
	if (!m->chan || !m->responses_ok) {
		return true;
	}
	uint16_t flags = level == RDPSHARE_CTRL_LEVEL_INTERACTIVE
	                     ? ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT
	                 : level == RDPSHARE_CTRL_LEVEL_VIEW ? ENCOMSP_REQUEST_VIEW
	                                                     : 0;
	struct encomsp_buf b = {0};
	encomsp_ctrl_change_response(&b, flags, (uint32_t)m->self_id, reason);
	return write_out(m, &b);
}

void multiparty_receive(struct multiparty *m, void (*on_request)(void *ctx, int level),
                        void (*on_show)(void *ctx, uint32_t wnd), void *ctx)
{
	if (!m->chan) {
		return;
	}
	for (;;) {
		ULONG len = 0;
		if (!WTSVirtualChannelRead(m->chan, 0, NULL, 0, &len) || len == 0) {
			return;
		}
		uint8_t buf[4096];
		uint8_t *msg = len <= sizeof(buf) ? buf : malloc(len);
		ULONG got = 0;
		if (!msg || !WTSVirtualChannelRead(m->chan, 0, (PCHAR)msg, len, &got)) {
			if (msg != buf) {
				free(msg);
			}
			return;
		}
		size_t off = 0;
		while (off < got) {
			struct encomsp_pdu pdu;
			int used = encomsp_parse(msg + off, got - off, &pdu);
			if (used < 0) {
				m->ignored++;
				break; /* malformed: the rest of this message cannot be framed */
			}
			off += (size_t)used;
			if (pdu.type == ENCOMSP_WND_SHOW) {
				/* only windows it may know of (MS-RDPEMC note <26>) */
				if (told_wnd(&m->told, pdu.id)) {
					on_show(ctx, pdu.id);
				} else {
					m->ignored++;
				}
				continue;
			}
			if (pdu.type != ENCOMSP_PARTICIPANT_CTRL_CHANGE) {
				continue;
			}
			/* A viewer may only ask for itself: id 0 (xfreerdp's
			 * way) or its own. Anything about others is ignored. */
			if (pdu.id != 0 && pdu.id != (uint32_t)m->self_id) {
				m->ignored++;
				continue;
			}
			int level = (pdu.flags & ENCOMSP_REQUEST_INTERACT)
			                ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
			            : (pdu.flags & ENCOMSP_REQUEST_VIEW) ? RDPSHARE_CTRL_LEVEL_VIEW
			                                                 : RDPSHARE_CTRL_LEVEL_NONE;
			on_request(ctx, level);
		}
		if (msg != buf) {
			free(msg);
		}
	}
}

#define ANSWERS_MAX 8

bool multiparty_service(struct multiparty *m, const struct rdp_host *h, struct host_member *member,
                        const struct roster_entry *roster, int n, bool paused, int level)
{
	bool ok = n < 0 || multiparty_sync(m, roster, n, paused);
	bool may_see = level >= RDPSHARE_CTRL_LEVEL_VIEW;
	struct mp_filter f = {0};
	uint64_t since = may_see != m->may_see ? 0 : m->filter_gen;
	uint64_t copied = ok ? h->ops->filter_copy(h->ctx, since, &f) : 0;
	if (copied) {
		int told = multiparty_sync_filter(m, &f, may_see);
		if (told > 0) {
			m->filter_gen = copied;
		}
		ok = told >= 0; /* 0: out of memory, the next wake-up tries again */
	}
	mp_filter_free(&f);
	int levels[ANSWERS_MAX];
	long reasons[ANSWERS_MAX];
	int answers = h->ops->take_answers(h->ctx, member, levels, reasons, ANSWERS_MAX);
	for (int i = 0; i < answers && ok; i++) {
		ok = multiparty_respond(m, levels[i], (uint32_t)reasons[i]);
	}
	return ok;
}
