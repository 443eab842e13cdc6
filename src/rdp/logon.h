/* Logon: a new peer's security and what we offer (TLS only, with the
 * sharer's certificate), and admission once the viewer's Client Info PDU is
 * in: the invitation's ticket and password checked by the session before
 * the demand-active PDU, so a refused viewer is told why and sees nothing. */
#ifndef RDPSHARE_RDP_LOGON_H
#define RDPSHARE_RDP_LOGON_H

#include <stdbool.h>

#include <freerdp/peer.h>

#include "rdp/host.h"
#include "rdp/tls.h"

/* Both ends of a viewer's socket, numeric, IPv4 without the ::ffff: prefix. */
struct endpoints {
	char peer_ip[64], local_ip[64];
	int peer_port, local_port;
};

void logon_describe(int fd, struct endpoints *out);
/* Settings of a new peer: TLS only, the capabilities we offer, the
 * desktop size and depth. */
bool logon_configure(rdpContext *ctx, const struct host_state *st, UINT32 width, UINT32 height);
/* The sharer's certificate and key for the peer's TLS, read on the
 * connection's own thread (parsing a key is slow: it would hold up the
 * accept loop under a flood). */
bool logon_identity(rdpContext *ctx, const struct tls_identity *id);
/* Admit the viewer whose Client Info PDU came; NULL when refused (it was
 * sent a Set Error Info PDU saying why). */
struct host_member *logon_admit(freerdp_peer *peer, const struct rdp_host *host,
                                const struct endpoints *e);
/* Tell the viewer why it is being disconnected (ERRINFO_*). */
void logon_error_info(freerdp_peer *peer, UINT32 code);

#endif
