/* The engine's grab pacing (grab_pace.h). */
#include "grab_pace.h"

static int64_t credit_at(const struct grab_pace *p, int64_t interval_us, int64_t now_us)
{
	int64_t cap = interval_us * GRAB_PACE_BURST_HALVES / 2;
	int64_t elapsed = now_us > p->at_us ? now_us - p->at_us : 0;
	/* elapsed alone may exceed any cap after a long quiet spell */
	if (elapsed >= cap - p->credit_us) {
		return cap;
	}
	return p->credit_us + elapsed;
}

void grab_pace_init(struct grab_pace *p, int64_t now_us)
{
	p->credit_us = INT64_MAX / 4; /* clamped to the cap at first use */
	p->at_us = now_us;
}

int64_t grab_pace_wait_us(const struct grab_pace *p, int64_t interval_us, int64_t first_us,
                          int64_t last_us, int64_t now_us)
{
	int64_t quiet = last_us + GRAB_PACE_QUIET_US;
	int64_t latest = first_us + GRAB_PACE_SETTLE_MAX_US;
	int64_t settle = (quiet < latest ? quiet : latest) - now_us;
	int64_t credit = interval_us - credit_at(p, interval_us, now_us);
	int64_t wait = settle > credit ? settle : credit;
	return wait > 0 ? wait : 0;
}

void grab_pace_spend(struct grab_pace *p, int64_t interval_us, int64_t now_us)
{
	int64_t c = credit_at(p, interval_us, now_us) - interval_us;
	p->credit_us = c < -interval_us ? -interval_us : c;
	p->at_us = now_us;
}
