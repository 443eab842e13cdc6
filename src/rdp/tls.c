#include "rdp/tls.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/keyhash.h"
#include "rdpshare.h"

/* A new file only: generate() runs when neither file exists, so one that
 * appears meanwhile, or a symbolic link left in the directory, is refused
 * rather than written through. */
static FILE *open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
	}
	return f;
}

static int generate(const char *cert_path, const char *key_path)
{
	int ret = RDPSHARE_E_TLS;
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	FILE *kf = NULL, *cf = NULL;
	if (!key || !x) {
		goto out;
	}
	char host[256] = "rdpshare";
	gethostname(host, sizeof(host) - 1);
	unsigned char serial[16];
	FILE *ur = fopen("/dev/urandom", "rb");
	if (!ur || fread(serial, 1, sizeof(serial), ur) != sizeof(serial)) {
		if (ur) {
			fclose(ur);
		}
		goto out;
	}
	fclose(ur);
	serial[0] &= 0x7f;
	BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x))) {
		BN_free(bn);
		goto out;
	}
	BN_free(bn);
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600);
	X509_set_pubkey(x, key);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)host, -1, -1,
	                           0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"rdpshare", -1,
	                           -1, 0);
	X509_set_issuer_name(x, name);
	if (!X509_sign(x, key, EVP_sha256())) {
		goto out;
	}
	ret = RDPSHARE_E_IO;
	kf = open_private(key_path);
	cf = open_private(cert_path);
	if (!kf || !cf) {
		goto out;
	}
	if (!PEM_write_PrivateKey(kf, key, NULL, NULL, 0, NULL, NULL) || !PEM_write_X509(cf, x)) {
		goto out;
	}
	ret = RDPSHARE_OK;
out:
	if (kf && fclose(kf) != 0) {
		ret = RDPSHARE_E_IO;
	}
	if (cf && fclose(cf) != 0) {
		ret = RDPSHARE_E_IO;
	}
	if (ret != RDPSHARE_OK) {
		unlink(key_path);
		unlink(cert_path);
	}
	X509_free(x);
	EVP_PKEY_free(key);
	return ret;
}

/* hash (one of util/keyhash.h's) of the certificate in the PEM file. */
static int hash_pem_file(const char *pem_path, int (*hash)(const char *, size_t, char **),
                         char **out)
{
	FILE *f = fopen(pem_path, "r");
	if (!f) {
		return RDPSHARE_E_TLS;
	}
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	int r = hash(buf, n, out);
	return r == 0 ? RDPSHARE_OK : r == -ENOMEM ? RDPSHARE_E_NOMEM : RDPSHARE_E_TLS;
}

int tls_key_hash_pem(const char *pem_path, char **out)
{
	return hash_pem_file(pem_path, keyhash_from_pem, out);
}

/* The certificate's SHA-256 fingerprint (util/keyhash.h), for join lines
 * that pin it with xfreerdp3's /cert:fingerprint. */
static int cert_sha256_pem(const char *pem_path, char **out)
{
	return hash_pem_file(pem_path, certhash_sha256_from_pem, out);
}

/* The key must load too: a corrupt key file is an error now, not at the
 * first viewer's handshake. */
static int check_key(const char *key_path)
{
	FILE *f = fopen(key_path, "r");
	if (!f) {
		return RDPSHARE_E_TLS;
	}
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k) {
		return RDPSHARE_E_TLS;
	}
	EVP_PKEY_free(k);
	return RDPSHARE_OK;
}

int tls_identity_load(const char *dir, struct tls_identity *out)
{
	memset(out, 0, sizeof(*out));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		/* One level up may be missing too (~/.config on a fresh account). */
		char parent[PATH_MAX];
		snprintf(parent, sizeof(parent), "%s", dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			mkdir(parent, 0700);
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			return RDPSHARE_E_IO;
		}
	}
	if (asprintf(&out->cert_path, "%s/cert.pem", dir) < 0) {
		out->cert_path = NULL;
		return RDPSHARE_E_NOMEM;
	}
	if (asprintf(&out->key_path, "%s/key.pem", dir) < 0) {
		out->key_path = NULL;
		tls_identity_clear(out);
		return RDPSHARE_E_NOMEM;
	}
	int r = RDPSHARE_OK;
	if (access(out->cert_path, F_OK) != 0 && access(out->key_path, F_OK) != 0) {
		r = generate(out->cert_path, out->key_path);
	}
	if (r == RDPSHARE_OK) {
		r = check_key(out->key_path);
	}
	if (r == RDPSHARE_OK) {
		r = tls_key_hash_pem(out->cert_path, &out->key_hash);
	}
	if (r == RDPSHARE_OK) {
		r = cert_sha256_pem(out->cert_path, &out->cert_sha256);
	}
	if (r != RDPSHARE_OK) {
		tls_identity_clear(out);
	}
	return r;
}

void tls_identity_clear(struct tls_identity *id)
{
	free(id->cert_path);
	free(id->key_path);
	free(id->key_hash);
	free(id->cert_sha256);
	memset(id, 0, sizeof(*id));
}
