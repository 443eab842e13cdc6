/* A clipboard thread's non-blocking pipe transfers (capture/clipboard_pipes.h). */
#include "capture/clipboard_pipes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/clipboard.h"
#include "util/clock.h"

void clipboard_pipes_init(struct clipboard_pipes *p, const struct clipboard_pipes_listener *l)
{
	*p = (struct clipboard_pipes){.in.fd = -1};
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		p->out[i].fd = -1;
	}
	if (l) {
		p->listener = *l;
	}
}

static void close_fd(struct clipboard_pipes *p, int fd, int slot, bool ok)
{
	if (p->listener.closing) {
		p->listener.closing(p->listener.data, fd, slot, ok);
	}
	close(fd);
}

/* ---- reading another client's text ------------------------------------- */

static char *read_end(struct clipboard_pipes *p, bool take)
{
	struct clipboard_in *in = &p->in;
	if (in->fd < 0) {
		return NULL;
	}
	close_fd(p, in->fd, -1, take);
	in->fd = -1;
	char *text = NULL;
	if (take && in->buf) {
		in->buf[in->len] = '\0';
		text = in->buf;
	} else if (take) {
		text = strdup(""); /* an empty copy is a copy */
	} else {
		free(in->buf);
	}
	in->buf = NULL;
	in->len = in->cap = 0;
	return text;
}

void clipboard_pipes_read_start(struct clipboard_pipes *p, int fd)
{
	read_end(p, false);
	p->in.fd = fd;
	p->in.deadline = util_clock_ms() + CLIPBOARD_READ_DEADLINE_MS;
}

void clipboard_pipes_read_stop(struct clipboard_pipes *p)
{
	read_end(p, false);
}

/* Past CLIPBOARD_MAX_TEXT the text is not taken: the buffer never grows
 * beyond that (plus its NUL). */
char *clipboard_pipes_read(struct clipboard_pipes *p)
{
	struct clipboard_in *in = &p->in;
	for (;;) {
		if (in->len == in->cap) {
			if (in->cap > CLIPBOARD_MAX_TEXT) {
				return read_end(p, false);
			}
			size_t cap = in->cap ? 2 * in->cap : 4096;
			cap = cap > CLIPBOARD_MAX_TEXT + 1 ? CLIPBOARD_MAX_TEXT + 1 : cap;
			char *b = realloc(in->buf, cap + 1);
			if (!b) {
				return read_end(p, false);
			}
			in->buf = b;
			in->cap = cap;
		}
		ssize_t r = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (r > 0) {
			in->len += (size_t)r;
			if (in->len > CLIPBOARD_MAX_TEXT) {
				return read_end(p, false);
			}
		} else if (r == 0) {
			return read_end(p, true);
		} else if (errno == EAGAIN) {
			return NULL; /* the rest later */
		} else if (errno != EINTR) {
			return read_end(p, false);
		}
	}
}

/* ---- writing ours to pasting clients ----------------------------------- */

static void send_end(struct clipboard_pipes *p, int slot, bool ok)
{
	struct clipboard_out *t = &p->out[slot];
	close_fd(p, t->fd, slot, ok);
	free(t->text);
	*t = (struct clipboard_out){.fd = -1};
}

void clipboard_pipes_send_in(struct clipboard_pipes *p, int slot, int fd, const char *text,
                             size_t len)
{
	char *copy = text && slot >= 0 ? malloc(len ? len : 1) : NULL;
	int fl = fcntl(fd, F_GETFL);
	if (!copy || fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		free(copy);
		/* the paster reads an empty text */
		if (slot >= 0) {
			close_fd(p, fd, slot, false);
		} else {
			close(fd);
		}
		return;
	}
	memcpy(copy, text, len);
	p->out[slot] =
	    (struct clipboard_out){fd, copy, len, 0, util_clock_ms() + CLIPBOARD_WRITE_DEADLINE_MS};
}

void clipboard_pipes_send(struct clipboard_pipes *p, int fd, const char *text, size_t len)
{
	int slot = -1;
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS && slot < 0; i++) {
		slot = p->out[i].fd < 0 ? i : -1;
	}
	clipboard_pipes_send_in(p, slot, fd, text, len);
}

/* A reader that left gives EPIPE here, not a SIGPIPE to the process: the
 * thread blocks every signal. */
void clipboard_pipes_write(struct clipboard_pipes *p, int slot)
{
	struct clipboard_out *t = &p->out[slot];
	while (t->off < t->len) {
		ssize_t r = write(t->fd, t->text + t->off, t->len - t->off);
		if (r > 0) {
			t->off += (size_t)r;
		} else if (r < 0 && errno == EAGAIN) {
			return;
		} else if (r == 0 || errno != EINTR) {
			send_end(p, slot, false);
			return;
		}
	}
	send_end(p, slot, true);
}

/* ---- deadlines --------------------------------------------------------- */

int64_t clipboard_pipes_deadline(const struct clipboard_pipes *p)
{
	int64_t first = p->in.fd >= 0 ? p->in.deadline : INT64_MAX;
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0 && p->out[i].deadline < first) {
			first = p->out[i].deadline;
		}
	}
	return first;
}

int clipboard_pipes_timeout(const struct clipboard_pipes *p)
{
	int64_t first = clipboard_pipes_deadline(p);
	if (first == INT64_MAX) {
		return -1;
	}
	int64_t left = first - util_clock_ms();
	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

void clipboard_pipes_expire(struct clipboard_pipes *p)
{
	int64_t now = util_clock_ms();
	if (p->in.fd >= 0 && now >= p->in.deadline) {
		read_end(p, false); /* a writer that never finishes: not taken */
	}
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0 && now >= p->out[i].deadline) {
			send_end(p, i, false); /* a paster that never reads */
		}
	}
}

void clipboard_pipes_finish(struct clipboard_pipes *p)
{
	read_end(p, false);
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0) {
			send_end(p, i, false);
		}
	}
}
