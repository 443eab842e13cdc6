/* Virtual channels, the object model side: names and limits, per-attendee
 * access, and the queue of messages each attendee's connection sends
 * (rdp/dvc.c puts them on the wire). The channel list is fixed at Open, so
 * connection threads read it without a lock; access lists have their own. */
#include <stdlib.h>
#include <string.h>

#include "session_internal.h"

struct rdpshare_channel {
	rdpshare_session *s;
	char name[RDPSHARE_CHANNEL_MAX_NAME + 1];
	int priority;
	unsigned flags;
	pthread_mutex_t lock; /* guards acl */
	struct {
		int id, access;
	} * acl;
	int n_acl;
};

static bool valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > RDPSHARE_CHANNEL_MAX_NAME) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (name[i] <= ' ' || name[i] > '~') {
			return false;
		}
	}
	return true;
}

int rdpshare_session_create_channel(rdpshare_session *s, const char *name,
                                    enum rdpshare_channel_priority priority, unsigned flags,
                                    rdpshare_channel **out)
{
	if (!s || !name || !out || !valid_name(name) || (int)priority < 0 || priority > 2 ||
	    (flags &
	     ~(unsigned)(RDPSHARE_CHANNEL_FLAGS_LEGACY | RDPSHARE_CHANNEL_FLAGS_UNCOMPRESSED))) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state != SESSION_CREATED) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_UNEXPECTED;
	}
	if (rdpshare_session_find_channel(s, name) || s->n_channels == SESSION_MAX_CHANNELS) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_channel *ch = calloc(1, sizeof(*ch));
	if (!ch) {
		return RDPSHARE_E_NOMEM;
	}
	ch->s = s;
	memcpy(ch->name, name, strlen(name) + 1);
	ch->priority = (int)priority;
	ch->flags = flags;
	pthread_mutex_init(&ch->lock, NULL);
	s->channels[s->n_channels++] = ch;
	*out = ch;
	return RDPSHARE_OK;
}

void channel_free(rdpshare_channel *ch)
{
	pthread_mutex_destroy(&ch->lock);
	free(ch->acl);
	free(ch);
}

int rdpshare_session_channel_count(rdpshare_session *s)
{
	return s ? s->n_channels : 0;
}

rdpshare_channel *rdpshare_session_channel_at(rdpshare_session *s, int index)
{
	return s && index >= 0 && index < s->n_channels ? s->channels[index] : NULL;
}

rdpshare_channel *rdpshare_session_find_channel(rdpshare_session *s, const char *name)
{
	for (int i = 0; s && name && i < s->n_channels; i++) {
		if (strcmp(s->channels[i]->name, name) == 0) {
			return s->channels[i];
		}
	}
	return NULL;
}

const char *rdpshare_channel_name(const rdpshare_channel *ch)
{
	return ch ? ch->name : NULL;
}

unsigned channel_flags(const rdpshare_channel *ch)
{
	return ch->flags;
}

int channel_priority(const rdpshare_channel *ch)
{
	return ch->priority;
}

int rdpshare_channel_set_access(rdpshare_channel *ch, int attendee_id,
                                enum rdpshare_channel_access access)
{
	if (!ch || attendee_id <= 0 ||
	    (access != RDPSHARE_CHANNEL_ACCESS_NONE &&
	     access != RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE)) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(ch->s);
	int r = RDPSHARE_OK;
	pthread_mutex_lock(&ch->lock);
	int i = 0;
	while (i < ch->n_acl && ch->acl[i].id != attendee_id) {
		i++;
	}
	if (i == ch->n_acl) {
		void *grown = realloc(ch->acl, sizeof(*ch->acl) * (size_t)(ch->n_acl + 1));
		if (grown) {
			ch->acl = grown;
			ch->acl[ch->n_acl++].id = attendee_id;
		} else {
			r = RDPSHARE_E_NOMEM;
		}
	}
	if (r == RDPSHARE_OK) {
		ch->acl[i].access = (int)access;
	}
	pthread_mutex_unlock(&ch->lock);
	return r;
}

enum rdpshare_channel_access rdpshare_channel_get_access(rdpshare_channel *ch, int attendee_id)
{
	int access = RDPSHARE_CHANNEL_ACCESS_NONE;
	if (!ch) {
		return RDPSHARE_CHANNEL_ACCESS_NONE;
	}
	pthread_mutex_lock(&ch->lock);
	for (int i = 0; i < ch->n_acl; i++) {
		if (ch->acl[i].id == attendee_id) {
			access = ch->acl[i].access;
		}
	}
	pthread_mutex_unlock(&ch->lock);
	return (enum rdpshare_channel_access)access;
}

int channel_index(const rdpshare_channel *ch)
{
	for (int i = 0; i < ch->s->n_channels; i++) {
		if (ch->s->channels[i] == ch) {
			return i;
		}
	}
	return -1;
}

static int queue(rdpshare_channel *ch, rdpshare_attendee *a, const void *data, size_t len)
{
	struct chan_msg *m = malloc(sizeof(*m) + len);
	if (!m) {
		return RDPSHARE_E_NOMEM;
	}
	m->channel = channel_index(ch);
	m->len = len;
	m->next = NULL;
	memcpy(m->data, data, len);
	pthread_mutex_lock(&a->wake_lock);
	if (a->chan_tail) {
		a->chan_tail->next = m;
	} else {
		a->chan_head = m;
	}
	a->chan_tail = m;
	pthread_mutex_unlock(&a->wake_lock);
	attendee_wake(a);
	return RDPSHARE_OK;
}

int rdpshare_channel_send(rdpshare_channel *ch, const void *data, size_t len, int attendee_id,
                          unsigned flags)
{
	(void)flags;
	if (!ch || !data || len == 0) {
		return RDPSHARE_E_INVALIDARG;
	}
	size_t max = (ch->flags & RDPSHARE_CHANNEL_FLAGS_LEGACY)
	                 ? RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY
	                 : RDPSHARE_CHANNEL_MAX_MESSAGE;
	if (len > max) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = ch->s;
	CHECK_OWNER(s);
	if (s->state != SESSION_OPEN) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_NOT_OPEN;
	}
	if (attendee_id != RDPSHARE_ATTENDEE_EVERYONE) {
		rdpshare_attendee *a = rdpshare_session_find_attendee(s, attendee_id);
		if (!a) {
			return RDPSHARE_E_NOT_FOUND;
		}
		if (rdpshare_channel_get_access(ch, attendee_id) !=
		    RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE) {
			return RDPSHARE_E_UNEXPECTED; /* data never goes to one without access */
		}
		return queue(ch, a, data, len);
	}
	int r = RDPSHARE_OK;
	for (int i = 0; i < s->n_attendees && r == RDPSHARE_OK; i++) {
		rdpshare_attendee *a = s->attendees[i];
		if (rdpshare_channel_get_access(ch, a->id) == RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE) {
			r = queue(ch, a, data, len);
		}
	}
	return r;
}

struct chan_msg *attendee_take_chan_msgs(rdpshare_attendee *a)
{
	pthread_mutex_lock(&a->wake_lock);
	struct chan_msg *m = a->chan_head;
	a->chan_head = a->chan_tail = NULL;
	pthread_mutex_unlock(&a->wake_lock);
	return m;
}

/* Channel data from viewers waiting for the application to dispatch, at
 * most (past it, messages are dropped and counted as channel_dropped). */
#define CHANNEL_QUEUE_MAX (16 * 1024 * 1024)

void session_post_channel_event(rdpshare_session *s, int type, rdpshare_channel *ch,
                                rdpshare_attendee *a, const void *data, size_t len)
{
	struct event *ev = event_new((enum event_type)type);
	if (!ev) {
		return;
	}
	attendee_attach(ev, a, true);
	ev->channel = ch;
	ev->len = len;
	if (data && len) {
		ev->data = malloc(len);
		if (!ev->data) {
			event_free(ev);
			return;
		}
		memcpy(ev->data, data, len);
	}
	if (type != EV_CHANNEL_DATA) {
		event_queue_push(&s->events, ev);
	} else if (!event_queue_push_bounded(&s->events, ev, CHANNEL_QUEUE_MAX)) {
		atomic_fetch_add(&a->stats.channel_dropped, 1);
		event_free(ev);
	}
}
