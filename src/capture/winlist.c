#include "capture/winlist.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/peer_json.h"

void winlist_name_processes(struct cap_window *v, int n, const struct cap_window *old, int old_n)
{
	for (int i = 0; i < n; i++) {
		struct cap_window *w = &v[i];
		if (w->app >= CAP_APP_SYNTHETIC) {
			continue;
		}
		const struct cap_window *o = NULL;
		for (int k = 0; k < old_n && !o; k++) {
			o = old[k].id == w->id && old[k].app == w->app ? &old[k] : NULL;
		}
		if (o) {
			memcpy(w->app_name, o->app_name, sizeof(w->app_name));
			continue;
		}
		char path[32], buf[CAP_NAME_MAX];
		snprintf(path, sizeof(path), "/proc/%u/comm", w->app);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			continue;
		}
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\0')) {
			len--;
		}
		if (len > 0) {
			/* a process names itself: as untrusted as the peer's text */
			peer_json_copy_text(w->app_name, sizeof(w->app_name), buf, (size_t)len);
		}
	}
}

uint32_t winlist_synthetic_app(const char *name, size_t len, uint32_t window_id)
{
	char idbuf[16];
	if (!name) {
		int n = snprintf(idbuf, sizeof(idbuf), "#%u", window_id);
		name = idbuf;
		len = (size_t)n;
	}
	uint32_t h = peer_json_fnv1a(name, len, 2166136261u);
	return CAP_APP_SYNTHETIC + (h & (CAP_APP_SYNTHETIC - 1));
}

static bool same_window(const struct cap_window *a, const struct cap_window *b)
{
	return a->id == b->id && a->app == b->app && a->owner == b->owner && a->x == b->x &&
	       a->y == b->y && a->w == b->w && a->h == b->h && a->viewable == b->viewable &&
	       a->listed == b->listed && strcmp(a->app_name, b->app_name) == 0 &&
	       strcmp(a->title, b->title) == 0;
}

bool winlist_same(const struct cap_window *a, int na, const struct cap_window *b, int nb)
{
	if (na != nb) {
		return false;
	}
	for (int i = 0; i < na; i++) {
		if (!same_window(&a[i], &b[i])) {
			return false;
		}
	}
	return true;
}
