/* The capture engine: one thread that turns the capture back-end's damage
 * into published frames at most every capture interval, only while somebody
 * watches and it is not paused. Knows no protocol and no session: whoever
 * creates it pushes what it needs (engine_set_*) and hears from it through
 * the listener it gave engine_start. Errors are RDPSHARE_E_* codes (the
 * library's one error style; only the enum of rdpshare.h is used). */
#ifndef RDPSHARE_ENGINE_H
#define RDPSHARE_ENGINE_H

#include <stdbool.h>

#include "encode/frame.h"

struct capture;
struct cap_window;

struct engine;

/* How the engine reports to its creator. Every function runs on the engine
 * thread, with no engine lock held; any may be NULL. Each must return soon
 * and must not wait for the engine thread: engine_stop and engine_snapshot
 * from inside one deadlock. The calls that only queue (engine_set_*,
 * engine_refresh, engine_raise, engine_inject) are safe, but the creator
 * normally just queues the news for its own thread. */
struct engine_listener {
	void *ctx; /* passed back to each function */
	/* The back-end's window list changed: n entries, valid during the
	 * call only (copy what you keep). */
	void (*windows_changed)(void *ctx, const struct cap_window *w, int n);
	/* The desktop is now w x h pixels. A rect given to engine_set_rect
	 * stays as it was (clipped when used); the whole desktop follows. */
	void (*desktop_resized)(void *ctx, int w, int h);
	/* Capturing failed for good (code: RDPSHARE_E_*, message for people);
	 * the engine thread ends after this call. */
	void (*error)(void *ctx, int code, const char *message);
};

/* The capture interval until engine_set_interval says otherwise. */
#define ENGINE_DEFAULT_INTERVAL_MS 33

/* Start the engine thread on cap, sharing the whole desktop, not paused,
 * no filter. cap stays the caller's; only the engine thread touches it
 * until engine_stop returns. listener is copied. Returns 0 or a negative
 * RDPSHARE_E_*. */
int engine_start(struct capture *cap, const struct engine_listener *listener, struct engine **out);
/* Stop the thread and free the engine (not the capture back-end). */
void engine_stop(struct engine *e);
struct hub *engine_hub(struct engine *e);
/* Queue input for the back-end (coordinates in shared-rect space; the
 * engine maps them to the desktop and clamps them to the rect). Thread-safe.
 * -EAGAIN when the queue is full (the event is dropped). */
#define ENGINE_INPUT_QUEUE 1024
#define INPUT_RESERVED 128 /* of the queue, for key and button releases only */
#define INPUT_BUDGET_MS 20 /* of injecting per pass of the engine's loop */
#define INPUT_RETRY_MS 5   /* until the next pass while input waits */
struct cap_input;
int engine_inject(struct engine *e, const struct cap_input *in);

/* Copy (x, y, w, h) of the shared rect as it is now into out (BGRX32,
 * stride bytes a row); the engine thread grabs it. Owner thread. Returns 0,
 * RDPSHARE_E_INVALIDARG (outside the rect) or RDPSHARE_E_DISPLAY. */
int engine_snapshot(struct engine *e, int x, int y, int w, int h, uint8_t *out, int stride);

/* Ask for a full frame (shared rect changed, resume). Thread-safe. */
void engine_refresh(struct engine *e);

/* The application filter's policy from now on (copied). Thread-safe. */
struct filter_policy;
void engine_set_filter(struct engine *e, const struct filter_policy *p);
/* Ask the back-end to bring window id to the front. Thread-safe; unknown
 * windows are ignored (the caller checks its own list first). */
void engine_raise(struct engine *e, uint32_t id);

/* What to share from now on, desktop coordinates (viewers see it as their
 * whole desktop; clipped to the desktop when used); NULL: the whole
 * desktop, following its size. Asks for a full frame. Thread-safe. */
void engine_set_rect(struct engine *e, const struct cap_rect *r);
/* While paused nothing is captured; whoever looks after the resume gets a
 * full frame. Thread-safe. */
void engine_set_paused(struct engine *e, bool paused);
/* At most one frame every ms milliseconds (ms >= 1). Thread-safe. */
void engine_set_interval(struct engine *e, int ms);

#endif
