/* A fixed-window rate limit: at most `limit` events per `window_ms`, for
 * what a peer can make the sharer do at network speed that costs more than
 * it does (a control request becomes an event, a prompt and a line on the
 * sharer's terminal). Pure, time passed in; the caller keeps it per peer. */
#ifndef RDPSHARE_UTIL_RATELIMIT_H
#define RDPSHARE_UTIL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	int64_t window_start_ms;
	int count;
	bool started;
};

/* True when one more event at now_ms fits (and counts it); false when the
 * window is full (not counted: a refused event costs nothing later). */
bool ratelimit_take(struct ratelimit *r, int64_t now_ms, int limit, int64_t window_ms);

#endif
