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
/* Ask for a full frame (shared rect changed, resume). Thread-safe. */
void engine_refresh(struct engine *e);

#endif
