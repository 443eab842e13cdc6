/* The sharer's certificate, judged inside the TLS handshake before the
 * Client Info PDU carries the password: it must carry the pinned key hash
 * (the invitation's, or the one the application pinned), else the one the
 * known-hosts file records for HOST:PORT (a first connection records it),
 * else (insecure) anything goes and its KH is reported. A refused sharer
 * never sees a credential. */
#include <stdlib.h>
#include <string.h>

#include "rdp/client_impl.h"
#include "util/keyhash.h"
#include "util/knownhosts.h"
#include "util/result.h"

/* Trust on first use. True to accept. *known: the recorded KH (malloc'd,
 * ci->expected points at it until the caller frees it). */
static bool check_known_host(const struct rdp_client_target *t,
                             struct rdpshare_viewer_certificate *ci, char **known)
{
	int line = 0;
	ci->known_hosts = t->known_hosts;
	int r = knownhosts_lookup(t->known_hosts, t->host, t->port, known, &line);
	if (r < 0) {
		/* fail closed: an unreadable file may hold the entry */
		ci->result = RDPSHARE_VIEWER_CERT_UNREADABLE;
		ci->error = util_result_of_errno(r);
		return false;
	}
	if (r == 1) {
		ci->expected = *known;
		ci->expected_from = "known-hosts";
		ci->line = line;
		bool same = strcmp(*known, ci->kh) == 0;
		ci->result = same ? RDPSHARE_VIEWER_CERT_KNOWN : RDPSHARE_VIEWER_CERT_MISMATCH;
		return same;
	}
	r = knownhosts_add(t->known_hosts, t->host, t->port, ci->kh);
	ci->result = r < 0 ? RDPSHARE_VIEWER_CERT_NOT_RECORDED : RDPSHARE_VIEWER_CERT_RECORDED;
	ci->error = r < 0 ? util_result_of_errno(r) : 0;
	return true;
}

static bool check_certificate(struct rdp_client *c, const char *pem, size_t length,
                              const char *hostname, UINT16 port)
{
	const struct rdp_client_target *t = c->t;
	struct rdpshare_viewer_certificate ci = {
	    .host = t->fd >= 0 ? t->host : hostname,
	    .port = t->fd >= 0 ? t->port : port,
	};
	char *kh = NULL, *known = NULL;
	bool ok = false;
	if (!pem || keyhash_from_pem(pem, length, &kh) != 0) {
		ci.result = RDPSHARE_VIEWER_CERT_NONE;
	} else if ((ci.kh = kh), t->expect_kh) {
		ci.expected = t->expect_kh;
		ci.expected_from = t->expect_from;
		ok = strcmp(kh, t->expect_kh) == 0;
		ci.result = ok ? RDPSHARE_VIEWER_CERT_PINNED : RDPSHARE_VIEWER_CERT_MISMATCH;
	} else if (t->known_hosts) {
		ok = check_known_host(t, &ci, &known);
	} else if (t->insecure) {
		ci.result = RDPSHARE_VIEWER_CERT_UNCHECKED;
		ok = true;
	} else {
		/* viewer.c never gets here; should it ever, fail closed */
		ci.result = RDPSHARE_VIEWER_CERT_MISMATCH;
	}
	c->l.certificate(c->l.ctx, &ci);
	free(known);
	free(kh);
	if (ok) {
		c->res->connected = true;
		c->l.connected(c->l.ctx);
	} else {
		c->res->cert_refused = true;
	}
	return ok;
}

/* With ExternalCertificateManagement FreeRDP hands every server certificate
 * here (as PEM, the whole chain) and nothing else decides: FreeRDP's own
 * known_hosts is neither read nor written. 2: accepted for this session. */
static int on_verify_x509(freerdp *instance, const BYTE *data, size_t length, const char *hostname,
                          UINT16 port, DWORD flags)
{
	(void)flags;
	struct rdp_client *c = rdp_client_of(instance->context);
	return check_certificate(c, (const char *)data, length, hostname, port) ? 2 : 0;
}

/* FreeRDP 3 only asks these when it manages certificates itself and has no
 * VerifyX509Certificate, neither of which is the case here. They replace its
 * defaults, which ask on the terminal, and pin the same way should they ever
 * be asked (with the certificate as PEM: CertificateCallbackPreferPEM). */
static DWORD verify_fingerprint(freerdp *instance, const char *host, UINT16 port,
                                const char *fingerprint, DWORD flags)
{
	struct rdp_client *c = rdp_client_of(instance->context);
	bool pem = (flags & VERIFY_CERT_FLAG_FP_IS_PEM) && fingerprint;
	return check_certificate(c, pem ? fingerprint : NULL, pem ? strlen(fingerprint) : 0, host,
	                         port)
	           ? 2
	           : 0;
}

static DWORD on_verify_certificate(freerdp *instance, const char *host, UINT16 port,
                                   const char *common_name, const char *subject, const char *issuer,
                                   const char *fingerprint, DWORD flags)
{
	(void)common_name;
	(void)subject;
	(void)issuer;
	return verify_fingerprint(instance, host, port, fingerprint, flags);
}

static DWORD on_verify_changed_certificate(freerdp *instance, const char *host, UINT16 port,
                                           const char *common_name, const char *subject,
                                           const char *issuer, const char *new_fingerprint,
                                           const char *old_subject, const char *old_issuer,
                                           const char *old_fingerprint, DWORD flags)
{
	(void)common_name;
	(void)subject;
	(void)issuer;
	(void)old_subject;
	(void)old_issuer;
	(void)old_fingerprint;
	return verify_fingerprint(instance, host, port, new_fingerprint, flags);
}

void rdp_client_cert_install(freerdp *instance)
{
	instance->VerifyX509Certificate = on_verify_x509;
	instance->VerifyCertificateEx = on_verify_certificate;
	instance->VerifyChangedCertificateEx = on_verify_changed_certificate;
}
