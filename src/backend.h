/* Which capture back-end a session shares, and opening it with its
 * clipboard (see enum rdpshare_backend in the public header). */
#ifndef RDPSHARE_BACKEND_H
#define RDPSHARE_BACKEND_H

#include <stddef.h>

#include "rdpshare.h"

struct capture;
struct clipboard;

/* Resolve AUTO (and config->demo) for display (the config's display, or
 * NULL). RDPSHARE_OK and *out, else an RDPSHARE_E_* and a sentence in why. */
int backend_resolve(const struct rdpshare_config *config, const char *display,
                    enum rdpshare_backend *out, char *why, size_t why_len);

/* Open back-end b on display; demo_w x demo_h at fps for the demo. The
 * clipboard is optional (NULL where the desktop has none we can reach) and
 * on_change(ctx) runs on its thread. RDPSHARE_OK, or an RDPSHARE_E_* with
 * why filled. */
int backend_open(enum rdpshare_backend b, const char *display, int demo_w, int demo_h, int fps,
                 void (*on_change)(void *ctx), void *ctx, struct capture **cap,
                 struct clipboard **board, char *why, size_t why_len);

/* Why back-end b has no window list (the filter then shows nothing), for a
 * capture whose windows operation is NULL. Static storage. */
const char *backend_no_windows_why(enum rdpshare_backend b);

#endif
