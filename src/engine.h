/* The capture engine: one thread that turns the capture back-end's damage
 * into published frames at most every FrameCaptureIntervalInMs, only while
 * somebody watches and the session is not paused. Knows no protocol. */
#ifndef RDPSHARE_ENGINE_H
#define RDPSHARE_ENGINE_H

#include "encode/frame.h"

struct rdpshare_session;
struct capture;

struct engine;

/* cap stays the caller's; only the engine thread touches it until
 * engine_stop returns. Returns 0 or a negative RDPSHARE_E_*. */
int engine_start(struct rdpshare_session *s, struct capture *cap, struct engine **out);
/* Stop the thread and free the engine (not the capture back-end). */
void engine_stop(struct engine *e);
struct hub *engine_hub(struct engine *e);
/* Queue input for the back-end (coordinates in shared-rect space; the
 * engine maps them to the desktop and clamps them to the rect). Thread-safe.
 * -EAGAIN when the queue is full (the event is dropped). */
#define ENGINE_INPUT_QUEUE 1024
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

#endif
