/* libFuzzer target for the channel caps (src/rdp/chan_guard.c): the input
 * is a stream of chunks (channel, flags, size, declared total, bytes) as a
 * viewer could send them. Whatever comes, what the guard lets through never
 * adds up past a channel's cap (a clipboard message over it is passed over
 * whole), a refusal stays, and a drdynvc message that
 * passes never declares a DATA_FIRST larger than its dynamic channel's cap;
 * the DVC header parser never claims bytes that were not there. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdp/chan_guard.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

static size_t dvc_cap(void *arg, uint32_t id)
{
	(void)arg;
	return id % 3 == 0 ? 1024 : id % 3 == 1 ? CHAN_CAP_GFX : CHAN_CAP_DVC_OTHER;
}

static const char *const names[] = {"encomsp", "cliprdr", "drdynvc", "rdpsnd", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chan_guard g;
	chan_guard_init(&g, dvc_cap, NULL);
	/* what the guard let through per channel, as FreeRDP would hold it */
	size_t held[5] = {0};
	uint8_t msg[5][DVC_HEADER_MAX];
	size_t msg_len[5] = {0};
	bool refused = false;
	size_t off = 0;
	while (size - off >= 4) {
		unsigned ch = data[off] % 5;
		uint32_t flags = data[off + 1] & 3u;
		/* sizes up to 16 KiB, totals anywhere up to 4 GiB */
		size_t len = ((size_t)data[off + 2] << 6) | (data[off + 3] & 63u);
		size_t total = (size_t)data[off + 3] << (data[off + 1] >> 3);
		off += 4;
		size_t avail = size - off < len ? size - off : len;
		int r = chan_guard_chunk(&g, (uint16_t)(1004 + ch), names[ch], data + off, avail,
		                         flags, total);
		check(r == 0 || r == -EMSGSIZE || r == -ENOSPC ||
		      (r == CHAN_GUARD_SKIP && ch == 1));
		check(!refused || r < 0);
		if (r < 0) {
			refused = true;
			break;
		}
		if (r == CHAN_GUARD_SKIP) {
			/* passed over; on LAST the glue resets FreeRDP with an empty FIRST */
			if (flags & CHAN_GUARD_LAST) {
				held[ch] = 0;
				msg_len[ch] = 0;
			}
		} else if (names[ch]) {
			if (flags & CHAN_GUARD_FIRST) {
				held[ch] = 0;
				msg_len[ch] = 0;
			}
			held[ch] += avail;
			check(held[ch] <= chan_guard_static_cap(names[ch]));
			size_t take = DVC_HEADER_MAX - msg_len[ch];
			take = take < avail ? take : avail;
			memcpy(msg[ch] + msg_len[ch], data + off, take);
			msg_len[ch] += take;
			if (flags & CHAN_GUARD_LAST) {
				struct dvc_header h;
				if (ch == 2 && dvc_header_parse(msg[ch], msg_len[ch], &h) == 0 &&
				    h.cmd == DVC_CMD_DATA_FIRST) {
					check(h.length <= dvc_cap(NULL, h.channel_id));
				}
				held[ch] = 0;
				msg_len[ch] = 0;
			}
		}
		off += avail;
	}
	/* the parser alone on the whole input */
	struct dvc_header h;
	if (dvc_header_parse(data, size, &h) == 0) {
		check(h.size >= 1 && h.size <= size && h.size <= DVC_HEADER_MAX);
	}
	return 0;
}
