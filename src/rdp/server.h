/* The RDP side: listening sockets, one thread per connection running a
 * FreeRDP peer. Converts between FreeRDP and our own types; nothing outside
 * src/rdp and src/encode sees FreeRDP. */
#ifndef RDPSHARE_SERVER_H
#define RDPSHARE_SERVER_H

#include <stdint.h>

#include "rdp/tls.h"

struct rdp_host;
struct engine;
struct server;

/* Where and how to listen (the session's PortId, PortProtocol and listen
 * addresses), fixed while the server runs. */
struct server_config {
	char *const *listen; /* "addr:port", NULL-terminated; NULL: all addresses */
	int port_id;         /* port for the wildcard or for "addr:0" (0: any) */
	int port_protocol;   /* 2: IPv4, 23: IPv6, else both */
};

/* Bind every listening address (cfg->listen, or all addresses per
 * port_protocol on port_id) and start accepting; connections reach the
 * session only through host, which must outlive the server. Returns 0 or
 * RDPSHARE_E_ADDRINUSE / RDPSHARE_E_INVALIDARG / RDPSHARE_E_IO with nothing
 * left running. *addrs gets "addr:port" strings for the connection string
 * (the wildcard expanded to the machine's addresses); caller frees each and
 * the array. */
int server_start(const struct rdp_host *host, const struct server_config *cfg,
                 struct engine *engine, const struct tls_identity *id, struct server **out,
                 char ***addrs, int *n_addrs);
/* Serve a viewer on a socket we did not accept (a transport the application
 * has, or one we dialled for reverse connect): the same handshake and
 * admission as an accepted one. Takes fd, also on failure. Thread-safe. */
int server_adopt(struct server *srv, int fd);

/* Stop listening and end every connection without attendee events. */
void server_stop(struct server *srv);
struct roster_entry;
/* Everyone in the session now, and those whose connection just ended (gone),
 * for the multiparty channel. Thread-safe. Returns the count. */
int server_roster(struct server *srv, struct roster_entry *out, int max);
/* Someone joined, left or changed level: bump the generation, wake all. */
void server_roster_changed(struct server *srv);
uint64_t server_roster_gen(struct server *srv);

/* Wake every connection to re-check shared state (pause, depth). */
void server_poke_all(struct server *srv);
/* Wake the thread that reaps connections: one was told to end and has a
 * deadline to keep (conn_leave_by). Any thread. */
void server_wake(struct server *srv);

#endif
