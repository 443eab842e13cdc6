#include "util/keyhash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdlib.h>

/* The first certificate in pem: 0 and *x (X509_free it), or a negative errno. */
static int cert_from_pem(const char *pem, size_t len, X509 **x)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		return -ENOMEM;
	}
	*x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *x ? 0 : -EINVAL;
}

int keyhash_from_pem(const char *pem, size_t len, char **out)
{
	X509 *x = NULL;
	int r = cert_from_pem(pem, len, &x);
	if (r < 0) {
		return r;
	}
	unsigned char *der = NULL;
	int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	X509_free(x);
	if (n <= 0) {
		return -EINVAL;
	}
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA1(der, (size_t)n, md);
	OPENSSL_free(der);
	char *b64 = malloc(4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1);
	if (!b64) {
		return -ENOMEM;
	}
	EVP_EncodeBlock((unsigned char *)b64, md, SHA_DIGEST_LENGTH);
	*out = b64;
	return 0;
}

int certhash_sha256_from_pem(const char *pem, size_t len, char **out)
{
	X509 *x = NULL;
	int r = cert_from_pem(pem, len, &x);
	if (r < 0) {
		return r;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ok = X509_digest(x, EVP_sha256(), md, &n);
	X509_free(x);
	if (!ok || n != SHA256_DIGEST_LENGTH) {
		return -EINVAL;
	}
	char *hex = malloc(2 * SHA256_DIGEST_LENGTH + 1);
	if (!hex) {
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		static const char digits[] = "0123456789abcdef";
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
	*out = hex;
	return 0;
}
