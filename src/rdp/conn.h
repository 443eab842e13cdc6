/* One viewer connection: a thread running a FreeRDP peer from the TLS
 * handshake through admission to pictures, and its cleanup. */
#ifndef RDPSHARE_CONN_H
#define RDPSHARE_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "rdp/tls.h"

struct rdp_host;
struct engine;
struct conn;
struct server;
struct roster_entry;

/* Takes ownership of fd, also when it fails (NULL). A viewer that has not
 * logged on and seen its first picture within the session's handshake
 * timeout (as it is when it connects) is dropped. */
struct conn *conn_start(struct server *srv, const struct rdp_host *host, struct engine *engine,
                        const struct tls_identity *id, int fd);
/* This connection's line in the roster; false before it is announced.
 * Called under the server's lock. */
bool conn_roster_entry(struct conn *c, struct roster_entry *out);
bool conn_finished(struct conn *c);
/* Session is closing: end without an attendee_disconnected event. */
void conn_close_silently(struct conn *c);
/* A connection told to end (kicked, or conn_close_silently) that has not
 * yet: by when it must have (ms, monotonic), after which whoever reaps
 * connections calls conn_cut. 0: nothing to enforce (not told, finished,
 * or cut already). Any thread. */
int64_t conn_leave_by(struct conn *c);
void conn_wake(void *c);
void conn_join_free(struct conn *c);

/* Still logging on (not yet an announced attendee, not finished). */
bool conn_pending(struct conn *c);
/* When it started (ms, monotonic), its deadline, its peer address. */
int64_t conn_started_ms(struct conn *c);
int64_t conn_deadline_ms(struct conn *c);
const char *conn_peer_ip(struct conn *c);
/* End a connection from another thread: its socket is shut down, which
 * wakes even a thread blocked inside FreeRDP's TLS handshake. Once. */
void conn_cut(struct conn *c);

/* The server's list links. */
struct conn *conn_next(struct conn *c);
struct conn **conn_next_ptr(struct conn *c);
void conn_set_next(struct conn *c, struct conn *next);

#endif
