/* A clipboard thread's transfers through pipes, none of them blocking: the
 * one text being read from another client (capped at CLIPBOARD_MAX_TEXT,
 * with a deadline) and the texts being written to pasting clients (a few
 * slots, each with its own deadline). A client that never writes or never
 * reads so costs the thread nothing but a slot until its deadline. The
 * caller polls the fds (in.fd for POLLIN, each out[i].fd >= 0 for POLLOUT)
 * and calls these when they are ready; the thread must block SIGPIPE
 * (util/thread.h does). A caller that watches the fds in an epoll set, or
 * owes someone an answer when a paste ends (Mutter), hears of each fd just
 * before it closes. Knows no protocol; caller's memory: init, finish. */
#ifndef RDPSHARE_CLIPBOARD_PIPES_H
#define RDPSHARE_CLIPBOARD_PIPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLIPBOARD_PIPES_SENDS 8          /* pastes served at once; more get an empty answer */
#define CLIPBOARD_READ_DEADLINE_MS 2000  /* another client's text, all of it */
#define CLIPBOARD_WRITE_DEADLINE_MS 5000 /* ours, to one pasting client */

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

struct clipboard_pipes_listener {
	/* fd, taken over by these calls, closes next: slot is its index in
	 * out[], or -1 for in.fd; ok: the transfer finished, all of the text
	 * written or read. A paste that found no free slot closes untold. */
	void (*closing)(void *data, int fd, int slot, bool ok);
	void *data;
};

struct clipboard_pipes {
	struct clipboard_in in;
	struct clipboard_out out[CLIPBOARD_PIPES_SENDS];
	struct clipboard_pipes_listener listener; /* .closing NULL: none */
};

/* l (copied; NULL: none) hears of the fds that close. */
void clipboard_pipes_init(struct clipboard_pipes *p, const struct clipboard_pipes_listener *l);
/* Close and free every transfer. */
void clipboard_pipes_finish(struct clipboard_pipes *p);

/* Read another client's text from fd (taken over, non-blocking), for at
 * most CLIPBOARD_READ_DEADLINE_MS (a caller may set in.deadline earlier). */
void clipboard_pipes_read_start(struct clipboard_pipes *p, int fd);
/* Drop the text being read, if any. */
void clipboard_pipes_read_stop(struct clipboard_pipes *p);
/* Read what in.fd holds. The whole text once its writer closed the pipe
 * (malloc'd, the caller's; "" for an empty one), else NULL: more to come, or
 * the transfer was dropped (too long, an error). */
char *clipboard_pipes_read(struct clipboard_pipes *p);

/* Serve a paste: write a copy of text (len bytes; NULL: not a type we
 * offer, the paster reads nothing) to fd, taken over and made
 * non-blocking, for at most CLIPBOARD_WRITE_DEADLINE_MS. With no free slot
 * or no memory fd is closed at once. */
void clipboard_pipes_send(struct clipboard_pipes *p, int fd, const char *text, size_t len);
/* The same in out[slot], which the caller kept free: for one that promises
 * a paste its slot before the paste's fd arrives. */
void clipboard_pipes_send_in(struct clipboard_pipes *p, int slot, int fd, const char *text,
                             size_t len);
/* Write what fits to out[slot] (its fd ready). */
void clipboard_pipes_write(struct clipboard_pipes *p, int slot);

/* The first deadline, util_clock_ms() time (INT64_MAX: none). */
int64_t clipboard_pipes_deadline(const struct clipboard_pipes *p);
/* Milliseconds to it, for poll() (-1: none). */
int clipboard_pipes_timeout(const struct clipboard_pipes *p);
/* End the transfers whose deadline passed. */
void clipboard_pipes_expire(struct clipboard_pipes *p);

#endif
