/* What the test's hostile viewers (chan_flood, input_flood, refresh_flood)
 * share: a FreeRDP client that logs on to the test's own sharer like a
 * stock client, takes its certificate for this session only, keeps a GDI
 * picture and is served from one loop of its own. Linked into each of
 * them (Makefile: VIEWER_HELPERS). */
#ifndef RDPSHARE_TESTS_VIEWER_H
#define RDPSHARE_TESTS_VIEWER_H

#include <stdbool.h>
#include <stdint.h>

#include <freerdp/freerdp.h>

/* PostConnect (GDI, BGRX), PostDisconnect and VerifyCertificateEx. */
void viewer_callbacks(freerdp *instance);
/* The GDI picture, for a viewer with its own PostConnect. */
BOOL viewer_post_connect(freerdp *instance);

/* Where and as whom to log on; the certificate is not checked against any
 * store. The rest of the settings are the viewer's own. */
bool viewer_logon(rdpSettings *st, const char *host, const char *port, const char *user,
                  const char *password);

/* Serve the connection, waiting at most ms; false once it is gone. */
bool viewer_pump(rdpContext *ctx, DWORD ms);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t viewer_now_ms(void);

#endif
