#include "rdp/pace.h"

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

void pace_hold(struct pace *p, int64_t until)
{
	p->hold_until = until;
}

bool pace_held(const struct pace *p, int64_t now)
{
	return p->hold_until && now < p->hold_until;
}

static bool behind_on_socket(const struct pace *p)
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
	return !behind_on_socket(p);
}

enum pace_plan pace_plan(struct pace *p, uint64_t seq, bool full, int64_t now, uint64_t *since)
{
	*since = 0;
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
	if (behind_on_socket(p)) {
		return PACE_BEHIND_RETRY_MS;
	}
	if (pace_held(p, now)) {
		int64_t left = p->hold_until - now;
		return left > 0 ? (int)left : 0;
	}
	return -1;
}
