#include "util/random.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

static int fill(unsigned char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0 && errno != EINTR) {
			return -errno;
		}
		if (n > 0) {
			got += (size_t)n;
		}
	}
	return 0;
}

int util_random_string(char *out, size_t len, const char *alphabet)
{
	size_t k = strlen(alphabet);
	bool seen[256] = {false};
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)alphabet[i];
		if (seen[c]) {
			k = 0; /* a repeated character would be drawn twice as often */
			break;
		}
		seen[c] = true;
	}
	if (k == 0) {
		out[0] = '\0';
		return -EINVAL;
	}
	/* Bytes from limit up would make the first 256 % k characters likelier:
	 * they are thrown away and drawn again. */
	unsigned limit = 256 - 256 % (unsigned)k;
	unsigned char buf[64];
	size_t pos = sizeof(buf);
	for (size_t i = 0; i < len;) {
		if (pos == sizeof(buf)) {
			int r = fill(buf, sizeof(buf));
			if (r < 0) {
				explicit_bzero(buf, sizeof(buf));
				explicit_bzero(out, i);
				out[0] = '\0';
				return r;
			}
			pos = 0;
		}
		unsigned b = buf[pos++];
		if (b < limit) {
			out[i++] = alphabet[b % k];
		}
	}
	out[len] = '\0';
	explicit_bzero(buf, sizeof(buf)); /* what is left of it is still secret */
	return 0;
}
