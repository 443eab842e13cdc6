/* Session properties by the original's names (IRDPSRAPISessionProperties),
 * typed and validated. The table and its rules live in properties.c. */
#ifndef RDPSHARE_PROPERTIES_H
#define RDPSHARE_PROPERTIES_H

#include <stdatomic.h>
#include <stdbool.h>

enum prop_id {
	PROP_PORT_ID,
	PROP_PORT_PROTOCOL,
	PROP_FRAME_CAPTURE_INTERVAL,
	PROP_DEFAULT_CONTROL_LEVEL,
	PROP_ENABLE_CLIPBOARD,
	PROP_ENABLED_TRANSPORTS,
	PROP_ENFORCE_STRONG_ENCRYPTION,
	PROP_DRV_CON_ATTACH,
	PROP_MAX_FRAMES_IN_FLIGHT,
	PROP_BACKGROUND_COLOR,
	PROP_HANDSHAKE_TIMEOUT,
	PROP_GRAPHICS_PIPELINE,
	PROP_COUNT
};

/* Values are atomics because worker threads read some of them live
 * (capture interval, default level) while the owner thread may set them. */
struct props {
	atomic_long v[PROP_COUNT];
};

void props_init(struct props *p);
/* Lookup by case-sensitive name; -1 when unknown. */
int props_find(const char *name);
/* Validate and store. is_open: the session is open (before-Open names are
 * read-only). Returns 0 or an RDPSHARE_E_* result. */
int props_set(struct props *p, int id, long value, bool is_open);
long props_get(const struct props *p, int id);

#endif
