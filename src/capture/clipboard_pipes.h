/* A clipboard thread's transfers through pipes, none of them blocking: the
 * one text being read from another client (capped at CLIPBOARD_MAX_TEXT,
 * with a deadline) and the texts being written to pasting clients (a few
 * slots, each with its own deadline). A client that never writes or never
 * reads so costs the thread nothing but a slot until its deadline. The
 * caller polls the fds (in.fd for POLLIN, each out[i].fd >= 0 for POLLOUT)
 * and calls these when they are ready; the thread must block SIGPIPE
 * (util/thread.h does). Knows no protocol; caller's memory: init, finish. */
#ifndef RDPSHARE_CLIPBOARD_PIPES_H
#define RDPSHARE_CLIPBOARD_PIPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLIPBOARD_PIPES_SENDS 8 /* pastes served at once; more get an empty answer */

struct clipboard_in {
	int fd; /* -1: nothing being read */
	char *buf;
	size_t len, cap;
	int64_t deadline;
};

struct clipboard_out {
	int fd; /* -1: a free slot */
	char *text;
	size_t len, off;
	int64_t deadline;
};

struct clipboard_pipes {
	struct clipboard_in in;
	struct clipboard_out out[CLIPBOARD_PIPES_SENDS];
};

void clipboard_pipes_init(struct clipboard_pipes *p);
/* Close and free every transfer. */
void clipboard_pipes_finish(struct clipboard_pipes *p);

/* Read another client's text from fd (taken over, non-blocking). */
void clipboard_pipes_read_start(struct clipboard_pipes *p, int fd);
/* Drop the text being read, if any. */
void clipboard_pipes_read_stop(struct clipboard_pipes *p);
/* Read what in.fd holds. The whole text once its writer closed the pipe
 * (malloc'd, the caller's; "" for an empty one), else NULL: more to come, or
 * the transfer was dropped (too long, an error). */
char *clipboard_pipes_read(struct clipboard_pipes *p);

/* Serve a paste: write a copy of text (len bytes; NULL: not a type we
 * offer, the paster reads nothing) to fd, taken over and made
 * non-blocking. With no free slot or no memory fd is closed at once. */
void clipboard_pipes_send(struct clipboard_pipes *p, int fd, const char *text, size_t len);
/* Write what fits to out (its fd ready). */
void clipboard_pipes_write(struct clipboard_out *out);

/* Milliseconds to the first deadline, for poll() (-1: none). */
int clipboard_pipes_timeout(const struct clipboard_pipes *p);
/* End the transfers whose deadline passed. */
void clipboard_pipes_expire(struct clipboard_pipes *p);

#endif
