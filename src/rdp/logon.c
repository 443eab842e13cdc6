#include "rdp/logon.h"

#include <netdb.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <freerdp/crypto/certificate.h>
#include <freerdp/crypto/privatekey.h>
#include <freerdp/error.h>
#include <freerdp/freerdp.h>
#include <freerdp/settings.h>

#include "rdpshare.h"

static void strip_mapped(char *ip)
{
	/* IPv4 through a dual-stack socket reads as ::ffff:a.b.c.d. */
	if (strncmp(ip, "::ffff:", 7) == 0) {
		memmove(ip, ip + 7, strlen(ip + 7) + 1);
	}
}

static void describe(const struct sockaddr_storage *ss, socklen_t sl, char *ip, size_t ip_len,
                     int *port)
{
	char serv[16];
	if (getnameinfo((const struct sockaddr *)ss, sl, ip, (socklen_t)ip_len, serv, sizeof(serv),
	                NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
		*port = (int)strtol(serv, NULL, 10);
		strip_mapped(ip);
	}
}

void logon_describe(int fd, struct endpoints *out)
{
	memset(out, 0, sizeof(*out));
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0) {
		describe(&ss, sl, out->peer_ip, sizeof(out->peer_ip), &out->peer_port);
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		describe(&ss, sl, out->local_ip, sizeof(out->local_ip), &out->local_port);
	}
}

bool logon_identity(rdpContext *ctx, const struct tls_identity *id)
{
	rdpSettings *s = ctx->settings;
	/* the settings own what they are given, also on failure */
	rdpCertificate *cert = freerdp_certificate_new_from_file(id->cert_path);
	rdpPrivateKey *key = freerdp_key_new_from_file(id->key_path);
	bool ok = cert && key;
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerCertificate, cert,
	                                      cert ? 1 : 0)) {
		freerdp_certificate_free(cert);
		ok = false;
	}
	if (!freerdp_settings_set_pointer_len(s, FreeRDP_RdpServerRsaKey, key, key ? 1 : 0)) {
		freerdp_key_free(key);
		ok = false;
	}
	return ok;
}

bool logon_configure(rdpContext *ctx, const struct host_state *st, UINT32 width, UINT32 height)
{
	rdpSettings *s = ctx->settings;
	bool ok = true;
	/* TLS only: NLA would need an NTLM verifier for invitation passwords,
	 * and Standard RDP Security is weak. Clients fall back to TLS. */
	const struct {
		FreeRDP_Settings_Keys_Bool key;
		BOOL value;
	} flags[] = {
	    {FreeRDP_RdpSecurity, FALSE},
	    {FreeRDP_TlsSecurity, TRUE},
	    {FreeRDP_NlaSecurity, FALSE},
	    {FreeRDP_RemoteFxCodec, TRUE},
	    {FreeRDP_NSCodec, FALSE},
	    {FreeRDP_SurfaceFrameMarkerEnabled, TRUE},
	    /* FreeRDP clears this while reading the client's core data when
	     * the client does not offer the pipeline */
	    {FreeRDP_SupportGraphicsPipeline, st->graphics_pipeline},
	    {FreeRDP_RefreshRect, TRUE},
	    {FreeRDP_SuppressOutput, TRUE},
	    {FreeRDP_DesktopResize, TRUE},
	    /* everything an INTERACTIVE viewer may send: Unicode keys (IMEs,
	     * rdpview's typed text), horizontal wheel, X buttons */
	    {FreeRDP_UnicodeInput, TRUE},
	    {FreeRDP_HasHorizontalWheel, TRUE},
	    {FreeRDP_HasExtendedMouseEvent, TRUE},
	};
	for (size_t i = 0; ok && i < sizeof(flags) / sizeof(flags[0]); i++) {
		ok = freerdp_settings_set_bool(s, flags[i].key, flags[i].value);
	}
	/* TLS 1.2 at least, said here: FreeRDP's default minimum is 1.0, and
	 * that older versions fail today only through OpenSSL's security
	 * level (no usable signature), which a build or a setting can lower */
	return ok && freerdp_settings_set_uint16(s, FreeRDP_TLSMinVersion, TLS1_2_VERSION) &&
	       freerdp_settings_set_uint32(s, FreeRDP_ColorDepth, (UINT32)st->color_depth) &&
	       freerdp_settings_set_uint32(s, FreeRDP_FrameAcknowledge, 2) &&
	       freerdp_settings_set_uint32(s, FreeRDP_DesktopWidth, width) &&
	       freerdp_settings_set_uint32(s, FreeRDP_DesktopHeight, height);
}

void logon_error_info(freerdp_peer *peer, UINT32 code)
{
	freerdp_set_error_info(peer->context->rdp, code);
	freerdp_send_error_info(peer->context->rdp);
}

struct host_member *logon_admit(freerdp_peer *peer, const struct rdp_host *host,
                                const struct endpoints *e)
{
	rdpSettings *st = peer->context->settings;
	const char *password = freerdp_settings_get_string(st, FreeRDP_Password);
	const char *shell = freerdp_settings_get_string(st, FreeRDP_AlternateShell);
	const char *workdir = freerdp_settings_get_string(st, FreeRDP_ShellWorkingDirectory);
	const char *user = freerdp_settings_get_string(st, FreeRDP_Username);
	/* Remote Assistance logon ([MS-RA] 2.2.7.2, what `xfreerdp3 FILE
	 * /assistance:PW`, WDS viewers and rdpview with a connection string
	 * send): password "*", the ticket in the working directory, the
	 * invitation password in the alternate shell ("*", or nothing at all
	 * from FreeRDP, when the invitation has none). A logon presents a ticket
	 * exactly when it is one of these with a working directory; anything
	 * else is a plain logon whose password picks the invitation, and never
	 * one without a password. */
	bool ra = password && strcmp(password, "*") == 0 && workdir && workdir[0];
	struct admission adm = {
	    .ticket = ra ? workdir : NULL,
	    .password = ra ? (shell ? shell : "") : (password ? password : ""),
	    .name = user && user[0] ? user : "viewer",
	    .peer_ip = e->peer_ip,
	    .local_ip = e->local_ip,
	    .peer_port = e->peer_port,
	    .local_port = e->local_port,
	};
	struct host_member *m = NULL;
	int why = host->ops->admit(host->ctx, &adm, &m);
	if (why != 0) {
		/* Tell the client why before closing; FreeRDP clients report a
		 * Set Error Info PDU (xfreerdp exits with a matching status). */
		logon_error_info(peer,
		                 why == RDPSHARE_REFUSED_LIMIT || why == RDPSHARE_REFUSED_NOT_OPEN
		                     ? ERRINFO_SERVER_DENIED_CONNECTION
		                     : ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES);
		return NULL;
	}
	return m;
}
