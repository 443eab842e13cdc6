/* When the engine grabs a frame: at once for the first change after a
 * quiet spell, and at most one grab per capture interval on average for
 * steady motion. A token bucket of time credit (at most GRAB_PACE_BURST
 * intervals' worth) replaces a fixed slot since the last grab, which made
 * damage that arrived just after a grab wait a whole interval, and a
 * source of nearly the capture rate drift against the slots and lose
 * frames. A grab waits until the damage has been quiet for
 * GRAB_PACE_QUIET_US, at most GRAB_PACE_SETTLE_MAX_US after the first
 * damage of a batch, so the rest of one drawing (a window's old and new
 * place, then its client's repaint) goes out in the same frame instead of
 * an interval later, while a lone change (a typed glyph) waits only the
 * quiet time. Pure: times are passed in (microseconds, monotonic), so the
 * rules are unit-tested on their own; the engine thread calls them. */
#ifndef RDPSHARE_GRAB_PACE_H
#define RDPSHARE_GRAB_PACE_H

#include <stdint.h>

#define GRAB_PACE_QUIET_US 2000
#define GRAB_PACE_SETTLE_MAX_US 8000
/* in halves of an interval: at most 1.5 intervals of credit allow one
 * frame early after a late one, never a sustained rate above 1/interval */
#define GRAB_PACE_BURST_HALVES 3

struct grab_pace {
	int64_t credit_us; /* time credit at at_us: one interval pays for a grab */
	int64_t at_us;
};

/* Full credit at now_us: the first change is grabbed without waiting. */
void grab_pace_init(struct grab_pace *p, int64_t now_us);
/* How long until the pending damage, the first of which came at first_us
 * and the last at last_us, may be grabbed: 0 now, else microseconds to
 * wait. */
int64_t grab_pace_wait_us(const struct grab_pace *p, int64_t interval_us, int64_t first_us,
                          int64_t last_us, int64_t now_us);
/* A frame was grabbed at now_us: it costs one interval of credit. A grab
 * forced early (a newcomer's full frame) leaves the credit below zero, at
 * most one interval, so the next change waits for it. */
void grab_pace_spend(struct grab_pace *p, int64_t interval_us, int64_t now_us);

#endif
