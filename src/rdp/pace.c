#include "rdp/pace.h"

#include <limits.h>
#include <string.h>

void pace_init(struct pace *p, const struct pace_sink *sink, size_t max_unsent)
{
	memset(p, 0, sizeof(*p));
	p->sink = *sink;
	p->max_unsent = max_unsent;
	p->max_in_flight = 1;
	p->need_full = true;
	atomic_init(&p->in_flight, 0);
	atomic_init(&p->want_wake, false);
	atomic_init(&p->acks_suspended, false);
}

void pace_restart(struct pace *p, bool use_acks, int max_in_flight)
{
	p->use_acks = use_acks;
	pace_set_max_in_flight(p, max_in_flight);
	p->need_full = true;
	p->forced_deferred = false; /* the whole picture comes anyway */
	atomic_store(&p->in_flight, 0);
}

void pace_set_max_in_flight(struct pace *p, int max_in_flight)
{
	p->max_in_flight = max_in_flight > 0 ? max_in_flight : 1;
}

void pace_need_full(struct pace *p)
{
	p->need_full = true;
}

void pace_force_full(struct pace *p, int64_t now)
{
	if (p->need_full) {
		return; /* one is due already: this adds nothing */
	}
	if (now >= p->forced_next) {
		p->need_full = true;
		p->forced_next = now + PACE_FORCED_FULL_MS;
	} else {
		p->forced_deferred = true;
	}
}

/* A deferred whole picture whose time has come is needed from now on. */
static void forced_due(struct pace *p, int64_t now)
{
	if (p->forced_deferred && now >= p->forced_next) {
		p->forced_deferred = false;
		if (!p->need_full) {
			p->need_full = true;
			p->forced_next = now + PACE_FORCED_FULL_MS;
		}
	}
}

bool pace_needs_full(struct pace *p, int64_t now)
{
	forced_due(p, now);
	return p->need_full;
}

void pace_set_max_unsent(struct pace *p, size_t max_unsent)
{
	p->max_unsent = max_unsent;
}

void pace_hold(struct pace *p, int64_t until)
{
	p->hold_until = until;
}

bool pace_held(const struct pace *p, int64_t now)
{
	return p->hold_until && now < p->hold_until;
}

bool pace_behind(const struct pace *p)
{
	return p->sink.unsent && p->sink.unsent(p->sink.ctx) > p->max_unsent;
}

bool pace_may_send(struct pace *p)
{
	if (p->use_acks && atomic_load(&p->in_flight) >= p->max_in_flight) {
		/* ask for a wake-up by the next acknowledgement, then look again:
		 * it may have come in between */
		atomic_store(&p->want_wake, true);
		if (atomic_load(&p->in_flight) >= p->max_in_flight) {
			return false;
		}
		atomic_store(&p->want_wake, false);
	}
	return !pace_behind(p);
}

enum pace_plan pace_plan(struct pace *p, uint64_t seq, bool full, int64_t now, uint64_t *since)
{
	*since = 0;
	forced_due(p, now);
	if (seq == p->sent_seq && !p->need_full) {
		return PACE_IDLE;
	}
	if (pace_held(p, now) || !pace_may_send(p)) {
		return PACE_WAIT;
	}
	if ((!p->need_full && seq == p->sent_seq + 1) || (p->need_full && full)) {
		return PACE_SHARED;
	}
	*since = p->need_full ? 0 : p->sent_seq;
	return PACE_OWN;
}

uint64_t pace_sent(struct pace *p, uint64_t seq)
{
	uint64_t skipped = p->sent_seq && seq > p->sent_seq + 1 ? seq - p->sent_seq - 1 : 0;
	p->sent_seq = seq;
	p->need_full = false;
	return skipped;
}

void pace_frame_out(struct pace *p)
{
	if (p->use_acks && !atomic_load(&p->acks_suspended)) {
		atomic_fetch_add(&p->in_flight, 1);
	}
}

void pace_suspend_acks(struct pace *p, bool suspended)
{
	atomic_store(&p->acks_suspended, suspended);
}

void pace_acked(struct pace *p)
{
	if (atomic_fetch_sub(&p->in_flight, 1) <= 0) {
		atomic_store(&p->in_flight, 0); /* an ack for a frame before a restart */
	}
	/* wake the connection only when it waits for this: an idle wake-up per
	 * frame per viewer is most of what a viewer costs on a quiet screen */
	if (atomic_exchange(&p->want_wake, false) && p->sink.wake) {
		p->sink.wake(p->sink.ctx);
	}
}

int pace_timeout(struct pace *p, int64_t now)
{
	if (pace_behind(p)) {
		return PACE_BEHIND_RETRY_MS;
	}
	forced_due(p, now);
	int64_t wait = -1;
	if (pace_held(p, now)) {
		wait = p->hold_until - now;
	}
	if (p->forced_deferred && (wait < 0 || p->forced_next - now < wait)) {
		wait = p->forced_next - now;
	}
	return wait < 0 ? -1 : wait > INT_MAX ? INT_MAX : (int)wait;
}
