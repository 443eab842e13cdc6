/* What the clipboard implementations (clipboard_x11.c, clipboard_wlr.c,
 * gnome_clip.c) share behind clipboard.h: the text as we know it and its generation,
 * under one lock, and a table of the two operations that differ. Each
 * implementation embeds struct clipboard first in its own state. Only the
 * implementations include this. */
#ifndef RDPSHARE_CLIPBOARD_IMPL_H
#define RDPSHARE_CLIPBOARD_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/clipboard.h"

struct clipboard_ops {
	/* Start owning utf8 (copy it): called by clipboard_set, on any
	 * thread, with lock held, so it only queues the work for the
	 * clipboard's thread (GNOME: the engine thread) and wakes it.
	 * 0, or a negative errno (then clipboard_set changes nothing and
	 * returns 0). */
	int (*own)(struct clipboard *c, const char *utf8);
	/* Stop the thread and free everything, c included. */
	void (*destroy)(struct clipboard *c);
};

struct clipboard {
	const struct clipboard_ops *ops;
	void (*on_change)(void *ctx);
	void *ctx;
	pthread_mutex_t lock; /* guards text, gen and what own() queues */
	char *text;           /* the clipboard's text as we know it */
	uint64_t gen;
};

/* Fill the shared part (the implementation's own memory). */
void clipboard_init(struct clipboard *c, const struct clipboard_ops *ops,
                    void (*on_change)(void *ctx), void *ctx);
/* Free the shared part's text and lock. */
void clipboard_finish(struct clipboard *c);

/* Another client's text (malloc'd, taken over) arrived: store it, bump the
 * generation and tell on_change, on the calling (the clipboard's) thread. */
void clipboard_store(struct clipboard *c, char *text);

/* own()'s common part: a copy of utf8 replaces what *slot held (the text
 * the clipboard's thread will take over), and wake_fd is poked. 0 or
 * -ENOMEM. Call with the lock held. */
int clipboard_queue_own(char **slot, const char *utf8, int wake_fd);
/* The clipboard's thread takes what clipboard_queue_own left in *slot
 * (under c's lock): the text to own (the caller's now), or NULL. */
char *clipboard_take_queued(struct clipboard *c, char **slot);

#endif
