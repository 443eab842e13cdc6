/* Events other threads post for the owner thread: connections (through
 * session_host.c), admission, reverse dials, the engine. Each builds one
 * event and queues it; nothing here calls back into the session. */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

void session_attendee_ready(rdpshare_session *s, rdpshare_attendee *a)
{
	struct event *ev = event_new(EV_ATTENDEE_CONNECTED);
	if (ev) {
		attendee_attach(ev, a, true);
		event_queue_push(&s->events, ev);
	}
}

void session_attendee_gone(rdpshare_session *s, rdpshare_attendee *a,
                           enum rdpshare_disconnect_reason reason, int code, bool announced)
{
	atomic_fetch_sub(&a->invitation->attendees, 1);
	struct event *ev = announced ? event_new(EV_ATTENDEE_DISCONNECTED) : NULL;
	if (ev) {
		attendee_attach(ev, a, false); /* takes the connection's reference */
		ev->i1 = (int)reason;
		ev->i2 = code;
		event_queue_push(&s->events, ev);
	} else {
		attendee_unref(a);
	}
}

void session_post_control_request(rdpshare_session *s, rdpshare_attendee *a, int level)
{
	struct event *ev = event_new(EV_CONTROL_REQUEST);
	if (ev) {
		attendee_attach(ev, a, true);
		ev->i1 = level;
		event_queue_push(&s->events, ev);
	}
}

void session_post_refusal(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
                          const char *address)
{
	struct event *ev = event_new(EV_ATTENDEE_REFUSED);
	if (!ev) {
		return;
	}
	ev->i1 = (int)why;
	ev->s1 = name ? strdup(name) : NULL;
	ev->s2 = address ? strdup(address) : NULL;
	event_queue_push(&s->events, ev);
}

void session_post_throttled(rdpshare_session *s, const char *address, int seconds)
{
	struct event *ev = event_new(EV_THROTTLED);
	if (!ev) {
		return;
	}
	ev->i1 = seconds;
	ev->s1 = address ? strdup(address) : NULL;
	event_queue_push(&s->events, ev);
}

void session_post_connection_failed(rdpshare_session *s, const char *message)
{
	struct event *ev = event_new(EV_CONNECTION_FAILED);
	if (ev) {
		ev->s1 = message ? strdup(message) : NULL;
		event_queue_push(&s->events, ev);
	}
}

void session_post_error(rdpshare_session *s, int result, const char *message)
{
	struct event *ev = event_new(EV_ERROR);
	if (!ev) {
		return;
	}
	ev->i1 = result;
	ev->s1 = message ? strdup(message) : NULL;
	event_queue_push(&s->events, ev);
}
