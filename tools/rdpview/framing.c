#include "framing.h"

#include <string.h>

int frame_next(const char *buf, size_t len, bool binary, size_t max, size_t *start, size_t *mlen,
               size_t *next)
{
	if (binary) {
		if (len < 4) {
			return 0;
		}
		const unsigned char *h = (const unsigned char *)buf;
		size_t n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
		if (n > max) {
			return -1;
		}
		if (len - 4 < n) {
			return 0;
		}
		*start = 4;
		*mlen = n;
		*next = 4 + n;
		return 1;
	}
	const char *nl = memchr(buf, '\n', len > max + 1 ? max + 1 : len);
	if (!nl) {
		return len > max ? -1 : 0;
	}
	*start = 0;
	*mlen = (size_t)(nl - buf);
	*next = *mlen + 1;
	return 1;
}
