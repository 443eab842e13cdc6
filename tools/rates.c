/* Frames and bits a second per attendee, for people (ctl attendees, ctl
 * top): the library counts totals; the sharer samples them once a second
 * while viewers are connected (no wake-ups without them) and keeps the
 * rate over the last interval. */
#include <stdint.h>
#include <stdlib.h>

#include "tool.h"
#include "util/clock.h"

#define SAMPLE_MS 1000
#define MAX_TRACKED 256 /* more viewers than that show no rate */

struct rate {
	int id; /* 0: free */
	int64_t at_ms;
	uint64_t frames, bytes;
	double fps, kbps;
	bool have_rate;
};

static struct rate table[MAX_TRACKED];
static int64_t last_ms;

static struct rate *find(int id, bool add)
{
	struct rate *free_slot = NULL;
	for (int i = 0; i < MAX_TRACKED; i++) {
		if (table[i].id == id) {
			return &table[i];
		}
		if (!table[i].id && !free_slot) {
			free_slot = &table[i];
		}
	}
	if (add && free_slot) {
		*free_slot = (struct rate){.id = id};
		return free_slot;
	}
	return NULL;
}

int rates_timeout_ms(rdpshare_session *s)
{
	if (rdpshare_session_attendee_count(s) == 0) {
		return -1;
	}
	int64_t left = last_ms + SAMPLE_MS - util_clock_ms();
	return left < 0 ? 0 : (int)left;
}

void rates_sample(rdpshare_session *s)
{
	int64_t now = util_clock_ms();
	if (now - last_ms < SAMPLE_MS) {
		return;
	}
	last_ms = now;
	bool seen[MAX_TRACKED] = {false};
	int n = rdpshare_session_attendee_count(s);
	for (int i = 0; i < n; i++) {
		rdpshare_attendee *a = rdpshare_session_attendee_at(s, i);
		struct rdpshare_attendee_stats st = {.size = sizeof(st)};
		if (rdpshare_attendee_get_stats(a, &st) != RDPSHARE_OK) {
			continue;
		}
		struct rate *r = find(rdpshare_attendee_id(a), true);
		if (!r) {
			continue;
		}
		seen[r - table] = true;
		if (r->at_ms && now > r->at_ms) {
			double secs = (double)(now - r->at_ms) / 1000.0;
			r->fps = (double)(st.frames_sent - r->frames) / secs;
			r->kbps = (double)(st.bytes_sent - r->bytes) * 8.0 / 1000.0 / secs;
			r->have_rate = true;
		}
		r->at_ms = now;
		r->frames = st.frames_sent;
		r->bytes = st.bytes_sent;
	}
	for (int i = 0; i < MAX_TRACKED; i++) {
		if (!seen[i]) {
			table[i].id = 0; /* gone */
		}
	}
}

bool rates_get(int id, double *fps, double *kbps)
{
	struct rate *r = find(id, false);
	if (!r || !r->have_rate) {
		return false;
	}
	*fps = r->fps;
	*kbps = r->kbps;
	return true;
}
