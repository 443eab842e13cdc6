/* The part of every clipboard implementation that is the same (see
 * clipboard_impl.h). */
#include "capture/clipboard_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/wake.h"

void clipboard_init(struct clipboard *c, const struct clipboard_ops *ops,
                    void (*on_change)(void *ctx), void *ctx)
{
	c->ops = ops;
	c->on_change = on_change;
	c->ctx = ctx;
	pthread_mutex_init(&c->lock, NULL);
	c->text = NULL;
	c->gen = 0;
}

void clipboard_finish(struct clipboard *c)
{
	pthread_mutex_destroy(&c->lock);
	free(c->text);
	c->text = NULL;
}

void clipboard_store(struct clipboard *c, char *text)
{
	pthread_mutex_lock(&c->lock);
	free(c->text);
	c->text = text;
	c->gen++;
	pthread_mutex_unlock(&c->lock);
	if (c->on_change) {
		c->on_change(c->ctx);
	}
}

void clipboard_close(struct clipboard *c)
{
	if (c) {
		c->ops->destroy(c);
	}
}

uint64_t clipboard_get(struct clipboard *c, char **text)
{
	pthread_mutex_lock(&c->lock);
	*text = c->text ? strdup(c->text) : NULL;
	uint64_t gen = c->gen;
	pthread_mutex_unlock(&c->lock);
	return gen;
}

uint64_t clipboard_gen(struct clipboard *c)
{
	pthread_mutex_lock(&c->lock);
	uint64_t gen = c->gen;
	pthread_mutex_unlock(&c->lock);
	return gen;
}

uint64_t clipboard_set(struct clipboard *c, const char *utf8)
{
	if (strlen(utf8) > CLIPBOARD_MAX_TEXT) {
		return 0;
	}
	char *t = strdup(utf8);
	if (!t) {
		return 0;
	}
	/* under the lock, so the text we own and the text we report are the
	 * same one when two threads set at once */
	pthread_mutex_lock(&c->lock);
	uint64_t gen = 0;
	if (c->ops->own(c, utf8) == 0) {
		free(c->text);
		c->text = t;
		t = NULL;
		gen = ++c->gen;
	}
	pthread_mutex_unlock(&c->lock);
	free(t);
	return gen;
}

int clipboard_queue_own(char **slot, const char *utf8, int wake_fd)
{
	char *t = strdup(utf8);
	if (!t) {
		return -ENOMEM;
	}
	free(*slot);
	*slot = t;
	util_wake_poke(wake_fd);
	return 0;
}

char *clipboard_take_queued(struct clipboard *c, char **slot)
{
	pthread_mutex_lock(&c->lock);
	char *t = *slot;
	*slot = NULL;
	pthread_mutex_unlock(&c->lock);
	return t;
}
