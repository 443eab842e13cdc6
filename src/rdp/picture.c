#include "rdp/picture.h"

#include "util/clock.h"

const struct enc_output *picture_encode(struct picture *p, struct frame *f, enum pace_plan plan,
                                        uint64_t since, struct enc_output **own)
{
	*own = NULL;
	if (plan == PACE_SHARED) {
		return encoder_encode_shared(p->enc, &p->key, f);
	}
	struct cap_rect rects[FRAME_MAX_RECTS];
	int n = 0;
	if (since == 0 || !hub_damage_since(p->hub, since, f->seq, rects, &n)) {
		rects[0] = (struct cap_rect){0, 0, f->width, f->height};
		n = 1;
	}
	*own = encoder_encode(p->enc, &p->key, f, rects, n);
	return *own;
}

void picture_note_latency(struct picture *p, int64_t damage_us)
{
	if (damage_us) {
		p->host->ops->note_latency(p->host->ctx, p->member, util_clock_us() - damage_us);
	}
}

void picture_sent(struct picture *p, const struct frame *f, uint64_t bytes, bool ok)
{
	if (ok) {
		picture_note_latency(p, f->damage_us);
	}
	atomic_fetch_add(&p->stats->frames_skipped, pace_sent(&p->pace, f->seq));
	atomic_fetch_add(&p->stats->frames_sent, 1);
	atomic_fetch_add(&p->stats->bytes_sent, bytes);
}
