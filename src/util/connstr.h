/* Connection strings (the [MS-RAI] 2.2.2 "Remote Assistance Connection String 2"
 * XML that IRDPSRAPIInvitation::ConnectionString carries) and invitation files.
 *
 *   <E><A KH="..." ID="auth-string"/><C><T ID="1" SID="0"><L P="port" N="addr"/>...</T></C></E>
 *
 * The parser reads untrusted input (anything a user pastes, a file from mail):
 * it never reads past len, never allocates more than a few times len, and
 * rejects anything that is not this shape with -EINVAL. No FreeRDP types here.
 */
#ifndef RDPSHARE_UTIL_CONNSTR_H
#define RDPSHARE_UTIL_CONNSTR_H

#include <stddef.h>
#include <stdint.h>

#define CONNSTR_MAX_ADDRS 32
#define CONNSTR_MAX_LEN 65536 /* longer input is rejected */

struct connstr_addr {
	char host[256]; /* IPv4, IPv6 (no brackets, %zone kept) or a host name */
	uint16_t port;  /* 1..65535 */
};

struct connstr {
	char *auth_id; /* A@ID, the invitation's auth string; "" for a reverse-connect string */
	char *kh;      /* A@KH, or NULL when absent */
	uint32_t sid;  /* T@SID */
	size_t n_addrs;
	struct connstr_addr addrs[CONNSTR_MAX_ADDRS];
};

/* Build a connection string. auth_id may be NULL or "" (reverse-connect form,
 * <A/>), kh may be NULL (omitted). Attribute values are XML-escaped. On success
 * *out is a malloc'd NUL-terminated string the caller frees. Returns 0,
 * -EINVAL (no address, bad port, host too long) or -ENOMEM. */
int connstr_build(const char *auth_id, const char *kh, const struct connstr_addr *addrs,
                  size_t n_addrs, char **out);

/* Parse s[0..len). On success fills *out (caller releases with connstr_clear).
 * Accepts whitespace between elements, attributes in any order, single or
 * double quotes, the five predefined XML entities and numeric character
 * references; ignores unknown attributes (KH2, CE, U). Requires <E>, <A> with
 * ID, <C>, at least one <T> and one <L> with a valid P and non-empty N.
 * Returns 0, -EINVAL or -ENOMEM; on error *out is left cleared. */
int connstr_parse(const char *s, size_t len, struct connstr *out);

void connstr_clear(struct connstr *c);

/* Write an invitation file that FreeRDP's xfreerdp and rdpview read: the
 * connection string itself plus a newline (the password is never written); see
 * the comment at the top of connstr.c for why this form. The string must pass
 * connstr_parse (else -EINVAL, nothing written). The file is created with mode
 * 0600 via a temporary file in the same directory, fsync and rename, so it is
 * replaced atomically and an error (-ENOSPC, -EACCES, ...) leaves no partial
 * file behind. Returns 0 or a negative errno.
 * For xfreerdp (2.x and 3.x) the name must end in ".msrcIncident" and the file
 * must be the first argument: `xfreerdp3 FILE.msrcIncident /assistance:PASSWORD`
 * (with the file later on the command line xfreerdp never opens it). xfreerdp
 * also needs an auth string (not the <A/> form). */
int invfile_write(const char *path, const char *connection_string);

/* Read an invitation file written by invfile_write, or a Windows Remote
 * Assistance incident file (<UPLOADINFO ...><UPLOADDATA RCTICKET="..."/>), and
 * return its connection string (malloc'd, caller frees). Returns 0 or a
 * negative errno (-EINVAL for content that holds no connection string). */
int invfile_read(const char *path, char **connection_string);

/* invfile_read's parser on a buffer (for the fuzzer and for callers that hold the
 * file contents already): UTF-8 with optional BOM, or UTF-16 with BOM; an optional
 * XML declaration; then either a connection string (returned verbatim, trimmed)
 * or an incident file whose RCTICKET is turned into a connection string.
 * At most 4 * CONNSTR_MAX_LEN bytes. Returns 0, -EINVAL or -ENOMEM. */
int invfile_parse_buffer(const char *buf, size_t len, char **connection_string);

#endif
