/* The application filter as viewers on the multiparty channel may be told
 * it: only what they can see (everything while the filter is off). Built on
 * the owner thread (appfilter.c), copied by connections (rdp/multiparty.c).
 * No FreeRDP types. */
#ifndef RDPSHARE_MP_FILTER_H
#define RDPSHARE_MP_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

struct mp_app {
	uint32_t id;
	uint16_t flags; /* ENCOMSP_APP_SHARED */
	char name[CAP_NAME_MAX];
};

struct mp_wnd {
	uint32_t id, app;
	uint16_t flags; /* ENCOMSP_WND_SHARED */
	char name[CAP_TITLE_MAX];
};

struct mp_filter {
	bool enabled;
	int n_apps, n_wins;
	struct mp_app *apps;
	struct mp_wnd *wins;
};

void mp_filter_free(struct mp_filter *f);

#endif
