/* The sharer's TLS identity: a self-signed certificate made once with
 * OpenSSL and kept (0600) under the config dir, and its key hash for the
 * invitation's KH attribute. */
#ifndef RDPSHARE_TLS_H
#define RDPSHARE_TLS_H

struct tls_identity {
	char *cert_path;
	char *key_path;
	char *key_hash;    /* base64 SHA-1 of the DER SubjectPublicKeyInfo */
	char *cert_sha256; /* lowercase hex SHA-256 of the DER certificate */
};

/* Load or create the identity in dir (created 0700 if missing). Returns 0,
 * RDPSHARE_E_TLS (unreadable/corrupt files) or RDPSHARE_E_IO. */
int tls_identity_load(const char *dir, struct tls_identity *out);
void tls_identity_clear(struct tls_identity *id);

/* KH of a certificate given as PEM text or DER bytes: base64 SHA-1 of its
 * public key. Ownership: *out is malloc'd, caller frees. */
int tls_key_hash_pem(const char *pem_path, char **out);

#endif
