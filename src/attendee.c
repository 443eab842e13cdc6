#include <stdlib.h>
#include <string.h>

#include "encode/codec_names.h"
#include "session_internal.h"

#include <stddef.h>

#include "rdp/server.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

rdpshare_attendee *attendee_new(int id, const struct admission *adm, rdpshare_invitation *inv,
                                int level)
{
	rdpshare_attendee *a = calloc(1, sizeof(*a));
	if (!a) {
		return NULL;
	}
	atomic_init(&a->refs, 1);
	a->id = id;
	a->name = dup_or_empty(adm->name);
	a->peer_ip = dup_or_empty(adm->peer_ip);
	a->local_ip = dup_or_empty(adm->local_ip);
	a->peer_port = adm->peer_port;
	a->local_port = adm->local_port;
	a->invitation = inv;
	atomic_init(&a->level, level);
	pthread_mutex_init(&a->wake_lock, NULL);
	if (!a->name || !a->peer_ip || !a->local_ip) {
		attendee_unref(a);
		return NULL;
	}
	return a;
}

void attendee_ref(rdpshare_attendee *a)
{
	atomic_fetch_add(&a->refs, 1);
}

void attendee_unref(rdpshare_attendee *a)
{
	if (!a || atomic_fetch_sub(&a->refs, 1) != 1) {
		return;
	}
	pthread_mutex_destroy(&a->wake_lock);
	for (struct chan_msg *m = a->chan_head, *next; m; m = next) {
		next = m->next; /* never sent: the viewer left first */
		free(m);
	}
	free(a->name);
	free(a->peer_ip);
	free(a->local_ip);
	free(a);
}

void attendee_bind(rdpshare_attendee *a, void (*wake)(void *), void *conn)
{
	pthread_mutex_lock(&a->wake_lock);
	a->wake = wake;
	a->conn = conn;
	pthread_mutex_unlock(&a->wake_lock);
}

void attendee_wake(rdpshare_attendee *a)
{
	pthread_mutex_lock(&a->wake_lock);
	if (a->wake) {
		a->wake(a->conn);
	}
	pthread_mutex_unlock(&a->wake_lock);
}

/* A connected attendee is listed; one that has left is not, and its handle
 * is then only good for reading (the original returns E_UNEXPECTED). */
#define CHECK_ATTENDEE(a)                                                                          \
	do {                                                                                       \
		if (!(a)) {                                                                        \
			return RDPSHARE_E_INVALIDARG;                                              \
		}                                                                                  \
		CHECK_OWNER((a)->invitation->session);                                             \
		if (!(a)->listed) {                                                                \
			return RDPSHARE_E_GONE;                                                    \
		}                                                                                  \
	} while (0)

int rdpshare_attendee_id(const rdpshare_attendee *a)
{
	return a ? a->id : RDPSHARE_E_INVALIDARG;
}

const char *rdpshare_attendee_remote_name(const rdpshare_attendee *a)
{
	return a ? a->name : NULL;
}

rdpshare_invitation *rdpshare_attendee_invitation(const rdpshare_attendee *a)
{
	return a ? a->invitation : NULL;
}

enum rdpshare_ctrl_level rdpshare_attendee_get_control_level(const rdpshare_attendee *a)
{
	return a ? (enum rdpshare_ctrl_level)atomic_load(&((rdpshare_attendee *)a)->level)
	         : RDPSHARE_CTRL_LEVEL_INVALID;
}

int rdpshare_attendee_set_control_level(rdpshare_attendee *a, enum rdpshare_ctrl_level level)
{
	CHECK_ATTENDEE(a);
	if (level != RDPSHARE_CTRL_LEVEL_NONE && level != RDPSHARE_CTRL_LEVEL_VIEW &&
	    level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (atomic_exchange(&a->level, (int)level) == (int)level) {
		return RDPSHARE_OK;
	}
	/* As in the original, the clipboard goes with the latest control. */
	rdpshare_session *s = a->invitation->session;
	if (level == RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		atomic_store(&s->clip_owner, a->id);
	} else {
		int me = a->id;
		atomic_compare_exchange_strong(&s->clip_owner, &me, 0);
	}
	attendee_wake(a);
	/* every connection re-tells its viewer who is here at which level */
	server_roster_changed(a->invitation->session->server);
	struct event *ev = event_new(EV_ATTENDEE_UPDATE);
	if (ev) {
		attendee_attach(ev, a, true);
		event_queue_push(&a->invitation->session->events, ev);
	}
	return RDPSHARE_OK;
}

int rdpshare_attendee_send_control_level_change_response(rdpshare_attendee *a,
                                                         enum rdpshare_ctrl_level level,
                                                         long reason)
{
	CHECK_ATTENDEE(a);
	if (level != RDPSHARE_CTRL_LEVEL_NONE && level != RDPSHARE_CTRL_LEVEL_VIEW &&
	    level != RDPSHARE_CTRL_LEVEL_INTERACTIVE) {
		return RDPSHARE_E_INVALIDARG;
	}
	pthread_mutex_lock(&a->wake_lock);
	int r = RDPSHARE_E_UNEXPECTED; /* too many unanswered: the viewer is not reading */
	if (a->n_outbox < ATTENDEE_OUTBOX) {
		a->outbox[a->n_outbox].level = level;
		a->outbox[a->n_outbox].reason = reason;
		a->n_outbox++;
		r = RDPSHARE_OK;
	}
	pthread_mutex_unlock(&a->wake_lock);
	if (r == RDPSHARE_OK) {
		attendee_wake(a);
	}
	return r;
}

int attendee_take_outbox(rdpshare_attendee *a, int *levels, long *reasons, int max)
{
	pthread_mutex_lock(&a->wake_lock);
	int n = a->n_outbox < max ? a->n_outbox : max;
	for (int i = 0; i < n; i++) {
		levels[i] = a->outbox[i].level;
		reasons[i] = a->outbox[i].reason;
	}
	memmove(a->outbox, a->outbox + n, sizeof(a->outbox[0]) * (size_t)(a->n_outbox - n));
	a->n_outbox -= n;
	pthread_mutex_unlock(&a->wake_lock);
	return n;
}

bool attendee_note_request(rdpshare_session *s, rdpshare_attendee *a, int level)
{
	if (a->req_id != 0 && a->req_level == level) {
		return false; /* the viewer repeats itself: still the same request */
	}
	/* Never changed in place: a pending request keeps the level it was
	 * shown with, and another level is another request that replaces it,
	 * so an answer meant for one can never apply to the other. */
	a->req_id = ++s->next_request_id;
	a->req_level = level;
	return true;
}

long rdpshare_attendee_get_control_request(const rdpshare_attendee *a,
                                           enum rdpshare_ctrl_level *level)
{
	if (!a || !pthread_equal(pthread_self(), a->invitation->session->owner) || !a->listed ||
	    a->req_id == 0) {
		return 0;
	}
	if (level) {
		*level = (enum rdpshare_ctrl_level)a->req_level;
	}
	return a->req_id;
}

int rdpshare_session_answer_control_request(rdpshare_session *s, long request_id, bool grant)
{
	if (!s || request_id <= 0) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	rdpshare_attendee *a = NULL;
	for (int i = 0; i < s->n_attendees && !a; i++) {
		if (s->attendees[i]->req_id == request_id) {
			a = s->attendees[i];
		}
	}
	if (!a) {
		return RDPSHARE_E_NOT_FOUND; /* answered, superseded, or its attendee left */
	}
	enum rdpshare_ctrl_level level = (enum rdpshare_ctrl_level)a->req_level;
	a->req_id = 0;
	int r = grant ? rdpshare_attendee_set_control_level(a, level) : RDPSHARE_OK;
	if (r == RDPSHARE_OK) {
		r = rdpshare_attendee_send_control_level_change_response(a, level, grant ? 0 : 1);
	}
	return r;
}

int rdpshare_attendee_flags(const rdpshare_attendee *a)
{
	/* ATTENDEE_FLAGS_LOCAL marks an attendee on this machine. */
	if (!a) {
		return RDPSHARE_E_INVALIDARG;
	}
	return strcmp(a->peer_ip, "127.0.0.1") == 0 || strcmp(a->peer_ip, "::1") == 0
	           ? RDPSHARE_ATTENDEE_FLAGS_LOCAL
	           : 0;
}

const char *rdpshare_attendee_peer_ip(const rdpshare_attendee *a)
{
	return a ? a->peer_ip : NULL;
}

int rdpshare_attendee_peer_port(const rdpshare_attendee *a)
{
	return a ? a->peer_port : RDPSHARE_E_INVALIDARG;
}

const char *rdpshare_attendee_local_ip(const rdpshare_attendee *a)
{
	return a ? a->local_ip : NULL;
}

int rdpshare_attendee_local_port(const rdpshare_attendee *a)
{
	return a ? a->local_port : RDPSHARE_E_INVALIDARG;
}

int rdpshare_attendee_terminate(rdpshare_attendee *a)
{
	CHECK_ATTENDEE(a);
	atomic_store(&a->terminate, true);
	attendee_wake(a);
	return RDPSHARE_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int rdpshare_attendee_get_stats(const rdpshare_attendee *a, struct rdpshare_attendee_stats *out)
{
	/* the first version of the struct ends with latency_p95_us */
	const size_t v1 =
	    offsetof(struct rdpshare_attendee_stats, latency_p95_us) + sizeof(uint32_t);
	if (!a || !out || out->size < v1) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_attendee *m = (rdpshare_attendee *)a;
	struct rdpshare_attendee_stats st = {
	    .size = out->size,
	    .frames_sent = atomic_load(&m->stats.frames_sent),
	    .frames_skipped = atomic_load(&m->stats.frames_skipped),
	    .bytes_sent = atomic_load(&m->stats.bytes_sent),
	    .input_dropped = atomic_load(&m->stats.input_dropped),
	    .input_injected = atomic_load(&m->stats.input_injected),
	    .channel_dropped = atomic_load(&m->stats.channel_dropped),
	    .color_depth = atomic_load(&m->stats.color_depth),
	    .codec = codec_name(atomic_load(&m->stats.codec)),
	};
	uint32_t lat[ATTENDEE_LATENCY];
	pthread_mutex_lock(&m->wake_lock);
	int n = m->n_latency;
	memcpy(lat, m->latency_us, sizeof(lat[0]) * (size_t)n);
	pthread_mutex_unlock(&m->wake_lock);
	qsort(lat, (size_t)n, sizeof(lat[0]), cmp_u32);
	st.latency_p50_us = n ? lat[n / 2] : 0;
	st.latency_p95_us = n ? lat[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1] : 0;
	memcpy(out, &st, out->size < sizeof(st) ? out->size : sizeof(st));
	return RDPSHARE_OK;
}

void attendee_note_latency(rdpshare_attendee *a, int64_t us)
{
	pthread_mutex_lock(&a->wake_lock);
	a->latency_us[a->latency_pos] = us < 0 ? 0 : us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
	a->latency_pos = (a->latency_pos + 1) % ATTENDEE_LATENCY;
	if (a->n_latency < ATTENDEE_LATENCY) {
		a->n_latency++;
	}
	pthread_mutex_unlock(&a->wake_lock);
}

void attendee_attach(struct event *ev, rdpshare_attendee *a, bool take_ref)
{
	if (take_ref) {
		attendee_ref(a);
	}
	ev->attendee = a;
	ev->release = attendee_unref;
}

rdpshare_attendee *rdpshare_session_find_attendee(rdpshare_session *s, int id)
{
	if (!s || !pthread_equal(pthread_self(), s->owner)) {
		return NULL;
	}
	for (int i = 0; i < s->n_attendees; i++) {
		if (s->attendees[i]->id == id) {
			return s->attendees[i];
		}
	}
	return NULL;
}
