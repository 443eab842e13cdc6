/* The event queue behind the apartment rule: any thread posts, only the owner
 * thread takes and delivers (session.c). An eventfd is readable while events
 * wait, so applications can put the session in their own poll loop. */
#ifndef RDPSHARE_EVENTS_H
#define RDPSHARE_EVENTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct rdpshare_attendee;

enum event_type {
	EV_ATTENDEE_CONNECTED,
	EV_ATTENDEE_DISCONNECTED, /* i1 reason, i2 code */
	EV_ATTENDEE_UPDATE,
	EV_ATTENDEE_REFUSED, /* i1 refusal, s1 name, s2 address */
	EV_CONTROL_REQUEST,  /* i1 requested level */
	EV_PAUSED,
	EV_RESUMED,
	EV_RECT_CHANGED,      /* i1..i4 l t r b */
	EV_ERROR,             /* i1 result, s1 message */
	EV_CONNECTION_FAILED, /* s1 message */
	EV_CHANNEL_JOINED,    /* channel, attendee */
	EV_CHANNEL_LEFT,      /* channel, attendee */
	EV_CHANNEL_DATA,      /* channel, attendee, data/len */
	EV_CHANNEL_SENT,      /* channel, attendee, len */
	EV_WINDOWS,           /* the newest window list waits (appfilter.c) */
	EV_APP_UPDATE,        /* i1 application id */
	EV_WINDOW_UPDATE,     /* i1 window id */
	EV_FILTER_UPDATED,    /* i1 enabled */
	EV_THROTTLED,         /* s1 address (NULL: every logon), i1 seconds */
	/* the viewer's (viewer*.c) */
	EV_V_CERT,          /* data: struct viewer_cert_ev */
	EV_V_CONNECTED,     /* certificate accepted */
	EV_V_AUTHENTICATED, /* i1 width, i2 height */
	EV_V_FAILED,        /* i1 reason, s1 message: the end of a connect */
	EV_V_DISCONNECTED,  /* i1 reason, i2 ext, s1 message: the end of a connect */
	EV_V_FRAME,         /* the picture waits in the stage */
	EV_V_SIZE,          /* the newest size waits in the viewer */
	EV_V_MULTIPARTY,    /* data: struct viewer_mp_ev, s1 name */
	EV_V_CHANNEL_OPEN,  /* i1 index, i2 open */
	EV_V_CHANNEL_DATA,  /* i1 index, data/len */
	EV_V_CHANNEL_SENT,  /* i1 index, len */
	EV_V_FOCUS,         /* i1 direction */
};

struct event {
	enum event_type type;
	struct rdpshare_attendee *attendee;          /* holds a reference when set */
	void (*release)(struct rdpshare_attendee *); /* drops that reference */
	int i1, i2, i3, i4;
	char *s1, *s2;
	struct rdpshare_channel *channel; /* lives as long as the session */
	void *data;                       /* owned by the event */
	size_t len;
	struct event *next;
};

struct event_queue {
	pthread_mutex_t lock;
	struct event *head, *tail;
	int efd;
	size_t data_bytes; /* payload bytes waiting (bounded pushes) */
};

int event_queue_init(struct event_queue *q);
void event_queue_fini(struct event_queue *q);
/* Allocate an event; NULL on allocation failure (the event is then lost and
 * the caller carries on: losing an event beats stopping a connection). */
struct event *event_new(enum event_type type);
/* Takes ownership of ev. Thread-safe. */
void event_queue_push(struct event_queue *q, struct event *ev);
/* Like event_queue_push, but refuses (false, ev untouched) when the
 * payloads already waiting and ev's would pass max bytes: a viewer that
 * floods a channel faster than the application dispatches cannot grow the
 * sharer without bound. */
bool event_queue_push_bounded(struct event_queue *q, struct event *ev, size_t max);
/* Detach every queued event, oldest first, and clear readability. */
struct event *event_queue_take_all(struct event_queue *q);
/* Free one event (drops its attendee reference). */
void event_free(struct event *ev);

#endif
