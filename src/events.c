#include "events.h"

#include <stdlib.h>
#include <unistd.h>

#include "util/wake.h"

int event_queue_init(struct event_queue *q)
{
	q->head = q->tail = NULL;
	q->efd = util_wake_create();
	if (q->efd < 0) {
		return q->efd;
	}
	pthread_mutex_init(&q->lock, NULL);
	return 0;
}

void event_queue_fini(struct event_queue *q)
{
	struct event *ev = event_queue_take_all(q);
	while (ev) {
		struct event *next = ev->next;
		event_free(ev);
		ev = next;
	}
	if (q->efd >= 0) {
		close(q->efd);
		q->efd = -1;
	}
	pthread_mutex_destroy(&q->lock);
}

struct event *event_new(enum event_type type)
{
	struct event *ev = calloc(1, sizeof(*ev));
	if (ev) {
		ev->type = type;
	}
	return ev;
}

void event_queue_push(struct event_queue *q, struct event *ev)
{
	pthread_mutex_lock(&q->lock);
	if (q->tail) {
		q->tail->next = ev;
	} else {
		q->head = ev;
	}
	q->tail = ev;
	pthread_mutex_unlock(&q->lock);
	util_wake_poke(q->efd);
}

bool event_queue_push_bounded(struct event_queue *q, struct event *ev, size_t max)
{
	pthread_mutex_lock(&q->lock);
	bool room = q->data_bytes + ev->len <= max;
	if (room) {
		q->data_bytes += ev->len;
	}
	pthread_mutex_unlock(&q->lock);
	if (room) {
		event_queue_push(q, ev);
	}
	return room;
}

struct event *event_queue_take_all(struct event_queue *q)
{
	pthread_mutex_lock(&q->lock);
	struct event *head = q->head;
	q->head = q->tail = NULL;
	q->data_bytes = 0;
	/* Drained under the lock so a push after it re-arms the fd. */
	util_wake_drain(q->efd);
	pthread_mutex_unlock(&q->lock);
	return head;
}

void event_free(struct event *ev)
{
	if (!ev) {
		return;
	}
	if (ev->attendee && ev->release) {
		ev->release(ev->attendee);
	}
	free(ev->s1);
	free(ev->s2);
	free(ev->data);
	free(ev);
}
