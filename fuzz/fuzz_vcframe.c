/* libFuzzer target for rdpview's channel framing (tools/rdpview/framing.c):
 * any bytes on stdin, line or length-prefixed, are cut into messages that
 * lie inside what arrived, never exceed the limit, and always move on. */
#include <stdint.h>
#include <stdlib.h>

#include "framing.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	bool binary = data[0] & 1;
	size_t max = (data[0] >> 1) * 3u + 1; /* small limits reach the edges */
	const char *buf = (const char *)data + 1;
	size_t len = size - 1, off = 0;
	for (;;) {
		size_t start, mlen, next;
		int r = frame_next(buf + off, len - off, binary, max, &start, &mlen, &next);
		check(r >= -1 && r <= 1);
		if (r <= 0) {
			break;
		}
		check(mlen <= max && start + mlen <= len - off && next > 0 && next <= len - off);
		check(next >= start + mlen);
		off += next;
	}
	return 0;
}
