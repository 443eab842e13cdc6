/* The application filter as viewers on the multiparty channel may be told
 * it: only what they can see. Built on the owner thread (appfilter.c),
 * copied by connections (rdp/multiparty.c). No FreeRDP types.
 *
 * The rule (mp_window_seen), one for every attendee who may see at all
 * (VIEW and above; one at NONE is told nothing): a listed window is told
 * only while it is viewable (mapped) and its outer geometry (what the
 * back-end reports: border, or the window manager's frame, included)
 * clipped to what viewers are shown -- the shared rect, itself clipped to
 * the desktop -- keeps a non-empty area; with the filter on it must also be
 * shown by the filter (its application or the window shared). Stacking is
 * not looked at: a window wholly covered by another is still told, as it
 * shows the moment it is raised. An application is told only while it has
 * a told window. A window that stops being seen (unmapped, moved or resized
 * out of the rect, the rect moved off it) is withdrawn as if closed and
 * told again when it comes back (multiparty_sync_filter diffs the copies). */
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

/* shown clipped to the desktop (desk_w x desk_h at 0,0): what viewers are
 * shown. An empty result has w == 0 or h == 0. */
struct cap_rect mp_shown_rect(const struct cap_rect *shown, int desk_w, int desk_h);

/* The rule above for one listed window: true when a viewer may be told of
 * it. geo: its outer geometry; shown: from mp_shown_rect; filtered: the
 * filter is on and shows neither the window nor its application. Overflow-
 * safe for any int geometry. */
bool mp_window_seen(const struct cap_rect *geo, bool viewable, bool filtered,
                    const struct cap_rect *shown);

/* Same content, in the same order (a new copy is only made when it is not:
 * a window dragged about inside the rect costs the connections nothing). */
bool mp_filter_equal(const struct mp_filter *a, const struct mp_filter *b);

#endif
