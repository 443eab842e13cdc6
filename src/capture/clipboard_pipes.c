/* A clipboard thread's non-blocking pipe transfers (capture/clipboard_pipes.h). */
#include "capture/clipboard_pipes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/clipboard.h"
#include "util/clock.h"

#define READ_DEADLINE_MS 2000  /* another client's text, all of it */
#define WRITE_DEADLINE_MS 5000 /* ours, to one pasting client */

void clipboard_pipes_init(struct clipboard_pipes *p)
{
	*p = (struct clipboard_pipes){.in.fd = -1};
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		p->out[i].fd = -1;
	}
}

/* ---- reading another client's text ------------------------------------- */

static char *read_end(struct clipboard_in *in, bool take)
{
	if (in->fd < 0) {
		return NULL;
	}
	close(in->fd);
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
	read_end(&p->in, false);
	p->in.fd = fd;
	p->in.deadline = util_clock_ms() + READ_DEADLINE_MS;
}

void clipboard_pipes_read_stop(struct clipboard_pipes *p)
{
	read_end(&p->in, false);
}

/* Past CLIPBOARD_MAX_TEXT the text is not taken: the buffer never grows
 * beyond that (plus its NUL). */
char *clipboard_pipes_read(struct clipboard_pipes *p)
{
	struct clipboard_in *in = &p->in;
	for (;;) {
		if (in->len == in->cap) {
			if (in->cap > CLIPBOARD_MAX_TEXT) {
				return read_end(in, false);
			}
			size_t cap = in->cap ? 2 * in->cap : 4096;
			cap = cap > CLIPBOARD_MAX_TEXT + 1 ? CLIPBOARD_MAX_TEXT + 1 : cap;
			char *b = realloc(in->buf, cap + 1);
			if (!b) {
				return read_end(in, false);
			}
			in->buf = b;
			in->cap = cap;
		}
		ssize_t r = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (r > 0) {
			in->len += (size_t)r;
			if (in->len > CLIPBOARD_MAX_TEXT) {
				return read_end(in, false);
			}
		} else if (r == 0) {
			return read_end(in, true);
		} else if (errno == EAGAIN) {
			return NULL; /* the rest later */
		} else if (errno != EINTR) {
			return read_end(in, false);
		}
	}
}

/* ---- writing ours to pasting clients ----------------------------------- */

static void send_end(struct clipboard_out *t)
{
	close(t->fd);
	free(t->text);
	*t = (struct clipboard_out){.fd = -1};
}

void clipboard_pipes_send(struct clipboard_pipes *p, int fd, const char *text, size_t len)
{
	struct clipboard_out *slot = NULL;
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS && !slot; i++) {
		slot = p->out[i].fd < 0 ? &p->out[i] : NULL;
	}
	char *copy = text && slot ? malloc(len ? len : 1) : NULL;
	int fl = fcntl(fd, F_GETFL);
	if (!copy || fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		free(copy);
		close(fd); /* the paster reads an empty text */
		return;
	}
	memcpy(copy, text, len);
	*slot = (struct clipboard_out){fd, copy, len, 0, util_clock_ms() + WRITE_DEADLINE_MS};
}

/* A reader that left gives EPIPE here, not a SIGPIPE to the process: the
 * thread blocks every signal. */
void clipboard_pipes_write(struct clipboard_out *t)
{
	while (t->off < t->len) {
		ssize_t r = write(t->fd, t->text + t->off, t->len - t->off);
		if (r > 0) {
			t->off += (size_t)r;
		} else if (r < 0 && errno == EAGAIN) {
			return;
		} else if (r == 0 || errno != EINTR) {
			break;
		}
	}
	send_end(t);
}

/* ---- deadlines --------------------------------------------------------- */

int clipboard_pipes_timeout(const struct clipboard_pipes *p)
{
	int64_t first = p->in.fd >= 0 ? p->in.deadline : INT64_MAX;
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0 && p->out[i].deadline < first) {
			first = p->out[i].deadline;
		}
	}
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
		read_end(&p->in, false); /* a writer that never finishes: not taken */
	}
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0 && now >= p->out[i].deadline) {
			send_end(&p->out[i]); /* a paster that never reads */
		}
	}
}

void clipboard_pipes_finish(struct clipboard_pipes *p)
{
	read_end(&p->in, false);
	for (int i = 0; i < CLIPBOARD_PIPES_SENDS; i++) {
		if (p->out[i].fd >= 0) {
			send_end(&p->out[i]);
		}
	}
}
