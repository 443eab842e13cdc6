#include "util/knownhosts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define KH_LEN 28        /* base64 of a 20-byte SHA-1 */
#define HOSTPORT_MAX 300 /* "[" 256-byte host "]:" 5 digits */

static bool is_b64(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

static bool valid_kh_n(const char *kh, size_t n)
{
	if (n != KH_LEN || kh[KH_LEN - 1] != '=') {
		return false;
	}
	for (size_t i = 0; i < KH_LEN - 1; i++) {
		if (!is_b64(kh[i])) {
			return false;
		}
	}
	return true;
}

int knownhosts_valid_kh(const char *kh)
{
	return kh && valid_kh_n(kh, strnlen(kh, KH_LEN + 1));
}

/* "host:port", IPv6 (any ':' in host) in brackets: the key an entry is
 * written and looked up under. */
static int key_of(const char *host, int port, char *key, size_t cap)
{
	size_t n = host ? strlen(host) : 0;
	if (n == 0 || n > 255 || port < 1 || port > 65535) {
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)host[i];
		if (c <= ' ' || c == 0x7f || c == '#') {
			return -EINVAL;
		}
	}
	int w = snprintf(key, cap, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
	return w > 0 && (size_t)w < cap ? 0 : -EINVAL;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int knownhosts_find(const char *buf, size_t len, const char *host, int port, char **kh, int *line)
{
	*kh = NULL;
	*line = 0;
	char key[HOSTPORT_MAX];
	int r = key_of(host, port, key, sizeof(key));
	if (r < 0) {
		return r;
	}
	size_t key_len = strlen(key);
	int no = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *p = buf + pos, *e = buf + end;
		pos = end + 1;
		no++;
		while (p < e && blank(*p)) {
			p++;
		}
		while (e > p && blank(e[-1])) {
			e--;
		}
		if (p == e || *p == '#') {
			continue;
		}
		/* first field: HOST:PORT; then blanks; then KH; nothing after */
		const char *f1 = p;
		while (p < e && !blank(*p)) {
			p++;
		}
		size_t n1 = (size_t)(p - f1);
		while (p < e && blank(*p)) {
			p++;
		}
		const char *f2 = p;
		size_t n2 = (size_t)(e - f2);
		if (n1 != key_len || strncasecmp(f1, key, key_len) != 0 || memchr(f1, '\0', n1) ||
		    !valid_kh_n(f2, n2)) {
			continue;
		}
		*kh = strndup(f2, n2);
		if (!*kh) {
			return -ENOMEM;
		}
		*line = no;
		return 1;
	}
	return 0;
}

int knownhosts_entry(const char *host, int port, const char *kh, char **out)
{
	*out = NULL;
	char key[HOSTPORT_MAX];
	int r = key_of(host, port, key, sizeof(key));
	if (r < 0) {
		return r;
	}
	if (!knownhosts_valid_kh(kh)) {
		return -EINVAL;
	}
	return asprintf(out, "%s %s\n", key, kh) < 0 ? (*out = NULL, -ENOMEM) : 0;
}

int knownhosts_default_path(char **out)
{
	*out = NULL;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/') {
		n = asprintf(out, "%s/rdpview/known_hosts", xdg);
	} else if (home && home[0] == '/') {
		n = asprintf(out, "%s/.config/rdpview/known_hosts", home);
	} else {
		return -ENOENT;
	}
	if (n < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

int knownhosts_lookup(const char *path, const char *host, int port, char **kh, int *line)
{
	*kh = NULL;
	*line = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return errno == ENOENT ? 0 : -errno;
	}
	char *buf = NULL;
	int r;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		goto out;
	}
	/* read up to one byte past the cap, whatever st_size says */
	buf = malloc(KNOWNHOSTS_MAX_FILE + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	size_t len = 0;
	while (len <= KNOWNHOSTS_MAX_FILE) {
		ssize_t n = read(fd, buf + len, KNOWNHOSTS_MAX_FILE + 1 - len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
	}
	r = len > KNOWNHOSTS_MAX_FILE ? -EFBIG : knownhosts_find(buf, len, host, port, kh, line);
out:
	free(buf);
	close(fd);
	return r;
}

/* mkdir dir (0700), and its parent when that is missing too (~/.config on a
 * fresh account). */
static int make_dir_of(const char *path)
{
	char dir[4096];
	int w = snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (w < 0 || (size_t)w >= sizeof(dir) || !slash || slash == dir) {
		return 0; /* relative or at the root: nothing to make */
	}
	*slash = '\0';
	if (mkdir(dir, 0700) == 0 || errno == EEXIST) {
		return 0;
	}
	char *up = strrchr(dir, '/');
	if (errno == ENOENT && up && up != dir) {
		*up = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			return -errno;
		}
		*up = '/';
		if (mkdir(dir, 0700) == 0 || errno == EEXIST) {
			return 0;
		}
	}
	return -errno;
}

int knownhosts_add(const char *path, const char *host, int port, const char *kh)
{
	char *line = NULL;
	int r = knownhosts_entry(host, port, kh, &line);
	if (r < 0) {
		return r;
	}
	r = make_dir_of(path);
	int fd = r < 0 ? -1 : open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (r == 0 && fd < 0) {
		r = -errno;
	}
	if (fd >= 0) {
		size_t n = strlen(line);
		ssize_t w = write(fd, line, n);
		r = w == (ssize_t)n ? 0 : w < 0 ? -errno : -EIO;
		if (close(fd) < 0 && r == 0) {
			r = -errno;
		}
	}
	free(line);
	return r;
}
