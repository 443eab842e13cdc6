/* The invitation's KH: base64 of the SHA-1 of a certificate's DER
 * SubjectPublicKeyInfo. The sharer computes it from its certificate, a
 * viewer (rdpview) from the one the server presents, to pin it. And the
 * certificate's SHA-256 fingerprint, which xfreerdp3 pins. */
#ifndef RDPSHARE_UTIL_KEYHASH_H
#define RDPSHARE_UTIL_KEYHASH_H

#include <stddef.h>

/* KH of the first certificate in PEM text pem[0..len). Returns 0, -EINVAL
 * (no certificate) or -ENOMEM. Ownership: *out is malloc'd, caller frees. */
int keyhash_from_pem(const char *pem, size_t len, char **out);

/* The certificate's own fingerprint, as xfreerdp3's
 * /cert:fingerprint:sha256:HEX checks it: SHA-256 of the whole DER
 * certificate, 64 lowercase hex digits. Same input, results and ownership
 * as keyhash_from_pem. */
int certhash_sha256_from_pem(const char *pem, size_t len, char **out);

#endif
