/* Shared pieces of the rdpshare command-line tool. */
#ifndef RDPSHARE_TOOL_H
#define RDPSHARE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "rdpshare.h"
#include "util/text.h"

/* A growable string for JSON replies. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool failed;
};
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (with quotes): exact, inert on a
 * terminal (util/text.h). */
void sb_json_str(struct sbuf *b, const char *s);
/* The same for len bytes that may hold NULs (channel data). */
void sb_json_bytes(struct sbuf *b, const char *s, size_t len);
/* Append the len bytes at s as a human-readable copy of peer-chosen text:
 * controls and bidi overrides escaped, at most max characters
 * (TEXT_NAME_MAX, TEXT_LINE_MAX), quoted when it holds spaces. */
void sb_text(struct sbuf *b, const char *s, size_t len, size_t max);
/* sb_text of a NUL-terminated string; NULL gives "-". */
void sb_name(struct sbuf *b, const char *s, size_t max);
/* A message at the end of a line (it may carry peer text): escaped as
 * sb_text, never quoted, capped at TEXT_MESSAGE_MAX characters. */
#define TEXT_MESSAGE_MAX 1000
void sb_message(struct sbuf *b, const char *s);
void sb_free(struct sbuf *b);
/* Control replies: {"ok":false,"error":MSG}, and {"ok":true} or the error
 * for an RDPSHARE_ result. */
void sb_error(struct sbuf *b, const char *msg);
void sb_result(struct sbuf *b, int r);
/* Print b and a newline to stdout, flush, free b. */
void tool_emit(struct sbuf *b);

/* A generated password (passwords.c: 12 characters, no look-alikes).
 * Ownership: malloc'd, caller frees. */
char *tool_generate_password(void);
/* --password-file: the first line of path, a file that
 * must be the user's alone; when nothing is at path, a generated password
 * is written there (0600). NULL with why filled on failure.
 * Ownership: malloc'd, caller wipes and frees. */
char *tool_password_file(const char *path, char *why, size_t why_size);

/* The default control socket path: $XDG_RUNTIME_DIR/rdpshare/ctl.sock, or
 * without it in the library's runtime directory (${TMPDIR:-/tmp}/rdpshare-UID).
 * Ownership: malloc'd, caller frees. */
char *ctl_default_path(void);
/* The directory of a socket path is private (util/dirs.h): made so when
 * create and it is missing. 0 or a negative errno, with why filled. */
int ctl_dir_private(const char *path, bool create, char *why, size_t why_size);

/* Frames and kbit a second per attendee (rates.c), sampled once a second
 * by rates_sample while viewers are connected; rates_timeout_ms is the
 * poll timeout until the next sample (-1: none due, nobody connected).
 * rates_get: false until an attendee has two samples. */
void rates_sample(rdpshare_session *s);
int rates_timeout_ms(rdpshare_session *s);
bool rates_get(int id, double *fps, double *kbps);

/* Control socket, server side: bound at path (0600, dir 0700). */
int ctl_listen(const char *path);
/* Serve one pending client of listen_fd against s. */
void ctl_serve_one(int listen_fd, rdpshare_session *s, bool *quit);
/* Client side: run `rdpshare ctl [--json] ARGS...`, print the reply. Exit
 * status: 0 done, 1 refused or failed, 2 a wrong command. */
int ctl_client_main(int argc, char **argv);
/* Send one command (argc words) to the sharer at path and read its whole
 * answer into reply. 0, or -1 with why filled (no sharer, broken off). */
int ctl_ask(const char *path, int argc, char **argv, struct sbuf *reply, char *why, size_t why_len);
/* `ctl top` (ctl_top.c): the attendees and pending requests redrawn every
 * second; on a terminal y/n answer the request on top and k kicks the
 * chosen attendee; into a pipe one line a second. Exit status as above. */
int ctl_top(const char *path);
/* The sharer's JSON answer of len bytes, for people (ctl_show.c): tables
 * and sentences on stdout, an error on stderr. The exit status as above. */
int ctl_show(const char *reply, size_t len);

/* Control requests awaiting an answer (requests.c), by request id (the
 * library's; a request's level never changes). shown: the callback raised
 * request for attendee; returns the id of that attendee's older request it
 * withdrew (0: none). answer: grant sets exactly the level of that request
 * and tells the viewer, deny only tells it; on failure why says why (an
 * RDPSHARE_E_NOT_FOUND one names the newer request that superseded it).
 * find: the attendee waiting on request (and its level), NULL for none.
 * forget: attendee left. oldest: the oldest waiting request, 0 for none. */
long requests_shown(int attendee, long request, enum rdpshare_ctrl_level level);
int requests_answer(rdpshare_session *s, long request, bool grant, char *why, size_t why_size);
rdpshare_attendee *requests_find(rdpshare_session *s, long request,
                                 enum rdpshare_ctrl_level *level);
void requests_forget(int attendee);
long requests_oldest(rdpshare_session *s);
void requests_json(struct sbuf *b, rdpshare_session *s);

/* The application filter (apps.c): --app names or process ids to share,
 * the event printers, and the ctl commands. apps_init: -E2BIG past 16. */
int apps_init(bool json_mode, const char *const *names, int n);
void apps_callbacks(struct rdpshare_callbacks *cb);
void apps_json(struct sbuf *b, rdpshare_session *s);
void apps_cmd_share(struct sbuf *b, rdpshare_session *s, const char *arg, const char *state);
void apps_cmd_filter(struct sbuf *b, rdpshare_session *s, const char *state);
void apps_cmd_show(struct sbuf *b, rdpshare_session *s, const char *arg);

/* Write the frame buffer as PNG (0600). Returns an RDPSHARE_ result. */
int tool_snapshot(rdpshare_session *s, const char *path);

/* Whole-string decimal numbers: one long, or n ints separated by commas.
 * False for anything else, including overflow. */
bool tool_parse_long(const char *s, long *out);
bool tool_parse_ints(const char *s, int *out, int n);
/* An id: decimal or 0x-prefixed hexadecimal (window ids read best in hex,
 * as xwininfo and xdotool print them), >= 0. */
bool tool_parse_id(const char *s, long *out);
/* A control request: arguments separated by NULs in req[0..len), where
 * req[len] is a NUL. Fills argv; -1 when there are more than max. */
int tool_split_request(char *req, size_t len, char **argv, int max);

#endif
