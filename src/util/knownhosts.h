/* rdpview's known-hosts file: trust on first use for sharers reached without
 * an invitation's KH (HOST:PORT, an invitation without KH), as xfreerdp and
 * ssh do. The first connection records the sharer's key hash; later ones
 * must present the same key or are refused before any password is sent.
 *
 * The file ($XDG_CONFIG_HOME/rdpview/known_hosts, else
 * ~/.config/rdpview/known_hosts) is UTF-8 text, one sharer a line:
 *
 *   # comment
 *   HOST:PORT KH
 *
 * HOST as it was given (a name or an address; IPv6 in brackets), PORT a
 * number, KH the base64 SHA-1 of the certificate's public key (the
 * invitation's KH, util/keyhash.h), separated by spaces or tabs. Host names
 * compare without regard to case. Blank lines and lines starting with '#'
 * are skipped, and so is any line that is not such an entry (it matches
 * nothing); the first entry for a HOST:PORT is the one that counts.
 *
 * The file is the user's own, but the parser still treats it as untrusted:
 * it never reads past len, takes NUL bytes, CR LF and missing final newlines,
 * and refuses files over KNOWNHOSTS_MAX_FILE. No FreeRDP types here. */
#ifndef RDPSHARE_UTIL_KNOWNHOSTS_H
#define RDPSHARE_UTIL_KNOWNHOSTS_H

#include <stddef.h>

#define KNOWNHOSTS_MAX_FILE (4 << 20) /* a larger file is an error, not truncated */

/* Whether kh looks like a key hash: 28 base64 characters ending in '=' (20
 * bytes). */
int knownhosts_valid_kh(const char *kh);

/* Look host:port up in buf[0..len). Returns 1 when found (*kh: the recorded
 * KH, malloc'd, caller frees; *line: its line number from 1), 0 when not
 * (*kh NULL), -EINVAL for a host or port that cannot be an entry, -ENOMEM. kh
 * and line may not be NULL. */
int knownhosts_find(const char *buf, size_t len, const char *host, int port, char **kh, int *line);

/* The entry line for host:port with kh, with its newline. Ownership: *out is
 * malloc'd, caller frees. Returns 0, -EINVAL (an empty or too long host, one
 * with space or control characters, port outside 1..65535, a malformed kh) or
 * -ENOMEM. */
int knownhosts_entry(const char *host, int port, const char *kh, char **out);

/* The file's default path (see above). Ownership: *out is malloc'd. Returns
 * 0, -ENOENT when neither XDG_CONFIG_HOME nor HOME is set (or not absolute),
 * -ENOMEM. */
int knownhosts_default_path(char **out);

/* knownhosts_find on the file at path; a missing file holds nothing (0).
 * Returns as knownhosts_find, or a negative errno for a file that cannot be
 * read (-EFBIG past KNOWNHOSTS_MAX_FILE, -EISDIR, ...). */
int knownhosts_lookup(const char *path, const char *host, int port, char **kh, int *line);

/* Append the entry for host:port, creating the file (0600) and its directory
 * (0700, one level of parents) when missing. One write with O_APPEND, so two
 * viewers recording at once do not interleave their lines. Returns 0 or a
 * negative errno. */
int knownhosts_add(const char *path, const char *host, int port, const char *kh);

#endif
