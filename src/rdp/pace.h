/* Per-viewer pacing, free of any protocol: which picture a viewer gets
 * next, and when. A viewer is sent the newest frame only while it keeps up:
 * at most max_in_flight frames it has not acknowledged, and no more than
 * max_unsent bytes still waiting to leave the machine ("behind"). A viewer
 * that falls behind skips frames and later gets what it missed in one
 * picture; capture and the other viewers never wait for it.
 *
 * The connection owns a struct pace and calls it on its own thread, except
 * pace_acked, which may run on the thread that reads acknowledgements (the
 * graphics pipeline's channel thread): the counters it touches are atomics.
 * The sink tells pace how many bytes are unsent and wakes the connection
 * when an acknowledgement it waited for arrives.
 *
 * A viewer may ask for its whole picture again (Refresh Rect, Suppress
 * Output ending); each such picture is a full encode for it alone, so it
 * gets at most one every PACE_FORCED_FULL_MS. One asked for sooner is
 * deferred, not lost: it is due when that time is up. */
#ifndef RDPSHARE_RDP_PACE_H
#define RDPSHARE_RDP_PACE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How often a viewer that is behind on its socket is looked at again:
 * nothing tells the connection when the socket drains. */
#define PACE_BEHIND_RETRY_MS 10
/* At most one whole picture a viewer asked for per this long (ms). */
#define PACE_FORCED_FULL_MS 500

struct pace_sink {
	void *ctx;
	/* Bytes written to this viewer that are not on the wire yet. */
	size_t (*unsent)(void *ctx);
	/* Wake the connection's thread (any thread may call it). */
	void (*wake)(void *ctx);
};

struct pace {
	struct pace_sink sink;
	size_t max_unsent;
	int max_in_flight;
	bool use_acks;        /* the viewer acknowledges frames */
	uint64_t sent_seq;    /* the newest frame sent (0: none since the start) */
	bool need_full;       /* the next picture must be whole */
	int64_t hold_until;   /* no picture before this (ms); 0: no hold */
	int64_t forced_next;  /* no picture the viewer asked for before this (ms) */
	bool forced_deferred; /* one was asked for sooner: due at forced_next */
	atomic_int in_flight;
	atomic_bool want_wake;      /* waiting at the in-flight limit */
	atomic_bool acks_suspended; /* the viewer asked for no acknowledgements */
};

/* What to send for a frame. */
enum pace_plan {
	PACE_IDLE,   /* nothing new for this viewer */
	PACE_WAIT,   /* held, or behind: skip; what it misses comes later */
	PACE_SHARED, /* the frame's own damage is what it lacks: share that encode */
	PACE_OWN,    /* its own picture: the damage since *since (0: the whole frame) */
};

void pace_init(struct pace *p, const struct pace_sink *sink, size_t max_unsent);
/* Start over (activation, a new surface): the next picture is whole and
 * frames sent before are forgotten. A viewer that suspended
 * acknowledgements stays suspended: it will not send one again. */
void pace_restart(struct pace *p, bool use_acks, int max_in_flight);
/* The in-flight limit can change while viewers watch (a property). */
void pace_set_max_in_flight(struct pace *p, int max_in_flight);
/* The viewer lost its picture (shown again, level raised, no encoder):
 * the next picture is whole, at once. */
void pace_need_full(struct pace *p);
/* The viewer asked for its whole picture (Refresh Rect, output resumed) at
 * now (ms): granted at once unless one was granted less than
 * PACE_FORCED_FULL_MS ago; then deferred until that time is up. */
void pace_force_full(struct pace *p, int64_t now);
/* True when the next picture must be whole, now (a deferred one that is
 * due counts from here on). */
bool pace_needs_full(struct pace *p, int64_t now);
/* What counts as behind: more than max_unsent bytes not on the wire yet
 * (the connection sets it from the socket's real send buffer). */
void pace_set_max_unsent(struct pace *p, size_t max_unsent);
/* Behind on the socket: nothing should be written to the viewer now. */
bool pace_behind(const struct pace *p);
/* No picture before until (ms); 0 ends a hold. */
void pace_hold(struct pace *p, int64_t until);
bool pace_held(const struct pace *p, int64_t now);

/* True while another frame may go out now. At the in-flight limit it also
 * asks for a wake-up by the next acknowledgement. */
bool pace_may_send(struct pace *p);
/* The frame with sequence seq (full: its damage is the whole frame) is the
 * newest: what to send for it now. For PACE_OWN, *since is the frame the
 * viewer has (0: it needs all of it). */
enum pace_plan pace_plan(struct pace *p, uint64_t seq, bool full, int64_t now, uint64_t *since);
/* The viewer now has frame seq. Returns how many frames it skipped. */
uint64_t pace_sent(struct pace *p, uint64_t seq);
/* One frame went out on the wire (counted in flight when the viewer
 * acknowledges frames and has not suspended that). */
void pace_frame_out(struct pace *p);
/* An acknowledgement came. Any thread. */
void pace_acked(struct pace *p);
/* The viewer stopped (true) or resumed (false) acknowledging frames: while
 * it is stopped, frames are not counted in flight. Any thread. */
void pace_suspend_acks(struct pace *p, bool suspended);
/* How long the connection may sleep before pace wants to look again (ms),
 * -1 when only a new frame or an acknowledgement can change anything. A
 * deferred whole picture that is due by now becomes needed here, so a
 * connection that shows nothing (paused) does not wake for it again. */
int pace_timeout(struct pace *p, int64_t now);

#endif
