#include "util/ratelimit.h"

bool ratelimit_take(struct ratelimit *r, int64_t now_ms, int limit, int64_t window_ms)
{
	/* a clock that went backwards (it cannot, but a caller's could) starts
	 * a new window rather than locking the peer out */
	if (!r->started || now_ms - r->window_start_ms >= window_ms ||
	    now_ms < r->window_start_ms) {
		r->started = true;
		r->window_start_ms = now_ms;
		r->count = 0;
	}
	if (r->count >= limit) {
		return false;
	}
	r->count++;
	return true;
}
