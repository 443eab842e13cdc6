/* The application filter's object model (IRDPSRAPIApplicationFilter and its
 * application and window objects) on the owner thread. The engine thread
 * follows the windows and decides pixels on its own from the policy we hand
 * it (so a new window of a shared application shows at once, and one of
 * anything else never leaks while events wait); here we keep the objects
 * the application sees, raise their events in the original's order, and
 * tell the viewers.
 *
 * The path of a window list: the engine's listener hands it to
 * appfilter_post_windows (engine thread), which keeps the newest and wakes
 * the owner thread; on dispatch appfilter_take_windows updates the objects,
 * raises the callbacks and appfilter_push hands the policy to the engine
 * and a new generation of the viewers' copy to the connections, which read
 * it through appfilter_copy_for_viewers. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "filter_mask.h"
#include "rdp/encomsp.h"
#include "rdp/server.h"
#include "session_internal.h"

/* The objects the application sees (owner thread only). */
struct rdpshare_app {
	rdpshare_session *session;
	uint32_t id;
	char name[CAP_NAME_MAX];
	bool shared;
	rdpshare_window **wins;
	int n_wins, cap_wins;
};

struct rdpshare_window {
	rdpshare_app *app;
	uint32_t id;
	char title[CAP_TITLE_MAX];
	bool shared, visible;
	int x, y, w, h;
};

struct appfilter {
	rdpshare_session *s; /* the owner: callbacks, event queue, engine, server */
	/* the model, owner thread only */
	bool enabled;
	rdpshare_app **apps;
	int n_apps, cap_apps;
	rdpshare_window **wins; /* every listed window, in the order they opened */
	int n_wins, cap_wins;
	/* lock guards what other threads hand in or read: */
	pthread_mutex_t lock;
	struct cap_window *latest; /* the newest window list, not yet taken */
	int n_latest;
	bool posted;              /* an EV_WINDOWS waits */
	struct mp_filter viewers; /* what viewers may be told */
	atomic_uint_fast64_t gen; /* bumps (under lock) when viewers changes; 0: none yet */
};

struct appfilter *appfilter_create(rdpshare_session *s)
{
	struct appfilter *af = calloc(1, sizeof(*af));
	if (!af) {
		return NULL;
	}
	af->s = s;
	pthread_mutex_init(&af->lock, NULL);
	atomic_init(&af->gen, 0);
	return af;
}

/* Only the newest list waits for the owner thread, behind at most one
 * event: a window dragged about while the application does not dispatch
 * costs one list, not one per move. */
void appfilter_post_windows(struct appfilter *af, const struct cap_window *w, int n)
{
	size_t len = (size_t)n * sizeof(*w);
	struct cap_window *copy = malloc(len ? len : 1);
	if (!copy) {
		return; /* the next change brings a whole list again */
	}
	if (len) {
		memcpy(copy, w, len);
	}
	pthread_mutex_lock(&af->lock);
	free(af->latest);
	af->latest = copy;
	af->n_latest = n;
	bool post = !af->posted;
	af->posted = true;
	pthread_mutex_unlock(&af->lock);
	struct event *ev = post ? event_new(EV_WINDOWS) : NULL;
	if (ev) {
		event_queue_push(&af->s->events, ev);
	} else if (post) {
		pthread_mutex_lock(&af->lock);
		af->posted = false; /* lost: the next change posts again */
		pthread_mutex_unlock(&af->lock);
	}
}

static void apply_windows(struct appfilter *af, const struct cap_window *w, int n);

void appfilter_take_windows(struct appfilter *af)
{
	pthread_mutex_lock(&af->lock);
	struct cap_window *w = af->latest;
	int n = af->n_latest;
	af->latest = NULL;
	af->posted = false;
	pthread_mutex_unlock(&af->lock);
	if (w) {
		apply_windows(af, w, n);
		free(w);
	}
}

static void post_id(rdpshare_session *s, enum event_type type, uint32_t id)
{
	struct event *ev = event_new(type);
	if (ev) {
		ev->i1 = (int)id;
		event_queue_push(&s->events, ev);
	}
}

static rdpshare_app *find_app(const struct appfilter *af, uint32_t id, int *at)
{
	for (int i = 0; i < af->n_apps; i++) {
		if (af->apps[i]->id == id) {
			if (at) {
				*at = i;
			}
			return af->apps[i];
		}
	}
	return NULL;
}

static rdpshare_window *find_win(const struct appfilter *af, uint32_t id, int *at)
{
	for (int i = 0; i < af->n_wins; i++) {
		if (af->wins[i]->id == id) {
			if (at) {
				*at = i;
			}
			return af->wins[i];
		}
	}
	return NULL;
}

/* Grow an array of object pointers (size: sizeof(void *)). */
static bool grow(void **v, int n, int *cap, size_t size)
{
	if (n < *cap) {
		return true;
	}
	int c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, (size_t)c * size);
	if (!p) {
		return false;
	}
	*v = p;
	*cap = c;
	return true;
}

static void unlink_win(struct appfilter *af, rdpshare_window *w)
{
	int at;
	if (find_win(af, w->id, &at)) {
		memmove(&af->wins[at], &af->wins[at + 1],
		        (size_t)(af->n_wins - at - 1) * sizeof(void *));
		af->n_wins--;
	}
	rdpshare_app *a = w->app;
	for (int i = 0; i < a->n_wins; i++) {
		if (a->wins[i] == w) {
			memmove(&a->wins[i], &a->wins[i + 1],
			        (size_t)(a->n_wins - i - 1) * sizeof(void *));
			a->n_wins--;
			break;
		}
	}
}

static void unlink_app(struct appfilter *af, rdpshare_app *a)
{
	int at;
	if (find_app(af, a->id, &at)) {
		memmove(&af->apps[at], &af->apps[at + 1],
		        (size_t)(af->n_apps - at - 1) * sizeof(void *));
		af->n_apps--;
	}
}

static void free_app(rdpshare_app *a)
{
	if (a) {
		free(a->wins);
		free(a);
	}
}

/* Add a new listed window (and its application if new). */
static rdpshare_window *add_window(struct appfilter *af, const struct cap_window *cw, bool *new_app)
{
	rdpshare_app *a = find_app(af, cw->app, NULL);
	*new_app = false;
	if (!a) {
		if (!grow((void **)&af->apps, af->n_apps, &af->cap_apps, sizeof(void *)) ||
		    !(a = calloc(1, sizeof(*a)))) {
			return NULL;
		}
		a->session = af->s;
		a->id = cw->app;
		memcpy(a->name, cw->app_name, sizeof(a->name));
		af->apps[af->n_apps++] = a;
		*new_app = true;
	}
	rdpshare_window *w = calloc(1, sizeof(*w));
	if (!w || !grow((void **)&a->wins, a->n_wins, &a->cap_wins, sizeof(void *)) ||
	    !grow((void **)&af->wins, af->n_wins, &af->cap_wins, sizeof(void *))) {
		free(w);
		if (*new_app && a->n_wins == 0) {
			unlink_app(af, a);
			free_app(a);
			*new_app = false;
		}
		return NULL;
	}
	w->app = a;
	w->id = cw->id;
	a->wins[a->n_wins++] = w;
	af->wins[af->n_wins++] = w;
	return w;
}

static void set_geometry(rdpshare_window *w, const struct cap_window *cw)
{
	w->x = cw->x;
	w->y = cw->y;
	w->w = cw->w;
	w->h = cw->h;
	w->visible = cw->viewable;
}

/* Bring the objects up to date with a list from the engine and raise the
 * open/close/update callbacks. */
static void apply_windows(struct appfilter *af, const struct cap_window *w, int n)
{
	rdpshare_session *s = af->s;
	const struct rdpshare_callbacks *cb = &s->cb;
	/* 1. windows that are gone (or stopped being sharable) */
	rdpshare_window **gone = calloc((size_t)af->n_wins + 1, sizeof(void *));
	rdpshare_window **opened = calloc((size_t)n + 1, sizeof(void *));
	bool *app_new = calloc((size_t)n + 1, sizeof(*app_new));
	rdpshare_window **retitled = calloc((size_t)n + 1, sizeof(void *));
	rdpshare_app **dead = calloc((size_t)af->n_wins + 1, sizeof(void *));
	if (!gone || !opened || !app_new || !retitled || !dead) {
		free(dead);
		free(gone);
		free(opened);
		free(app_new);
		free(retitled);
		return; /* the engine still filters right; the list catches up later */
	}
	int n_gone = 0, n_opened = 0, n_retitled = 0;
	for (int i = 0; i < af->n_wins;) {
		rdpshare_window *mw = af->wins[i];
		bool present = false;
		for (int j = 0; j < n && !present; j++) {
			present = w[j].listed && w[j].id == mw->id && w[j].app == mw->app->id;
		}
		if (present) {
			i++;
			continue;
		}
		unlink_win(af, mw);
		gone[n_gone++] = mw;
	}
	/* 2. new windows, and changes to known ones */
	for (int j = 0; j < n; j++) {
		if (!w[j].listed) {
			continue;
		}
		rdpshare_window *mw = find_win(af, w[j].id, NULL);
		if (mw) {
			set_geometry(mw, &w[j]);
			if (strcmp(mw->title, w[j].title) != 0) {
				memcpy(mw->title, w[j].title, sizeof(mw->title));
				retitled[n_retitled++] = mw;
			}
			continue;
		}
		bool new_app;
		mw = add_window(af, &w[j], &new_app);
		if (mw) {
			set_geometry(mw, &w[j]);
			memcpy(mw->title, w[j].title, sizeof(mw->title));
			app_new[n_opened] = new_app;
			opened[n_opened++] = mw;
		}
	}
	/* 3. the events: each close (an application right after its last
	 * window), then each open (an application right before its first). */
	/* Closed objects are freed only at the end, after every callback. */
	int n_dead = 0;
	for (int i = 0; i < n_gone; i++) {
		rdpshare_window *mw = gone[i];
		rdpshare_app *a = mw->app;
		bool closes_now = a->n_wins == 0;
		for (int k = i + 1; k < n_gone && closes_now; k++) {
			closes_now = gone[k]->app != a; /* its last window closes later */
		}
		if (closes_now) {
			unlink_app(af, a); /* out of the lists before anyone hears of it */
			dead[n_dead++] = a;
		}
		if (cb->window_close) {
			cb->window_close(s, mw, s->userdata);
		}
		if (closes_now && cb->application_close) {
			cb->application_close(s, a, s->userdata);
		}
	}
	for (int i = 0; i < n_opened; i++) {
		if (app_new[i] && cb->application_open) {
			cb->application_open(s, opened[i]->app, s->userdata);
		}
		if (cb->window_open) {
			cb->window_open(s, opened[i], s->userdata);
		}
	}
	for (int i = 0; i < n_retitled; i++) {
		if (cb->window_update) {
			cb->window_update(s, retitled[i], s->userdata);
		}
	}
	for (int i = 0; i < n_gone; i++) {
		/* each window is listed once, so it is gone once */
		free(gone[i]); // NOLINT(clang-analyzer-unix.Malloc)
	}
	for (int i = 0; i < n_dead; i++) {
		free_app(dead[i]);
	}
	free(dead);
	free(gone);
	free(opened);
	free(app_new);
	free(retitled);
	if (n_gone || n_opened || n_retitled) {
		appfilter_push(af);
	} else {
		/* moves, maps and unmaps leave the policy alone but may take a
		 * window into or out of what viewers see */
		appfilter_refresh_viewers(af);
	}
}

/* What viewers may be told: only what they can see (mp_filter.h has the
 * rule). Reads the shared rect under s->lock, so never call it holding the
 * filter's lock. */
static bool build_mp(const struct appfilter *af, struct mp_filter *out)
{
	rdpshare_session *s = af->s;
	int l, t, r, b, dw, dh;
	pthread_mutex_lock(&s->lock);
	l = s->rect_l;
	t = s->rect_t;
	r = s->rect_r;
	b = s->rect_b;
	dw = s->desk_w;
	dh = s->desk_h;
	pthread_mutex_unlock(&s->lock);
	const struct cap_rect rect = {l, t, r - l, b - t};
	const struct cap_rect shown = mp_shown_rect(&rect, dw, dh);
	memset(out, 0, sizeof(*out));
	out->enabled = af->enabled;
	out->apps = calloc((size_t)af->n_apps + 1, sizeof(*out->apps));
	out->wins = calloc((size_t)af->n_wins + 1, sizeof(*out->wins));
	if (!out->apps || !out->wins) {
		mp_filter_free(out);
		return false;
	}
	for (int i = 0; i < af->n_apps; i++) {
		const rdpshare_app *a = af->apps[i];
		bool any = false;
		for (int k = 0; k < a->n_wins; k++) {
			const rdpshare_window *w = a->wins[k];
			const struct cap_rect geo = {w->x, w->y, w->w, w->h};
			bool filtered = af->enabled && !a->shared && !w->shared;
			if (!mp_window_seen(&geo, w->visible, filtered, &shown)) {
				continue;
			}
			any = true;
			struct mp_wnd *m = &out->wins[out->n_wins++];
			m->id = w->id;
			m->app = a->id;
			m->flags = a->shared || w->shared ? ENCOMSP_WND_SHARED : 0;
			memcpy(m->name, w->title, sizeof(m->name));
		}
		if (!any) {
			continue;
		}
		struct mp_app *m = &out->apps[out->n_apps++];
		m->id = a->id;
		m->flags = a->shared ? ENCOMSP_APP_SHARED : 0;
		memcpy(m->name, a->name, sizeof(m->name));
	}
	return true;
}

/* A new generation of the viewers' copy when it differs (or force: the
 * first one), and the connections woken to tell it. */
static void push_viewers(struct appfilter *af, bool force)
{
	rdpshare_session *s = af->s;
	struct mp_filter m;
	if (!build_mp(af, &m)) {
		return;
	}
	pthread_mutex_lock(&af->lock);
	bool same = !force && atomic_load(&af->gen) != 0 && mp_filter_equal(&af->viewers, &m);
	if (same) {
		mp_filter_free(&m);
	} else {
		mp_filter_free(&af->viewers);
		af->viewers = m;
		atomic_fetch_add(&af->gen, 1);
	}
	pthread_mutex_unlock(&af->lock);
	if (!same && s->server) {
		server_poke_all(s->server);
	}
}

void appfilter_refresh_viewers(struct appfilter *af)
{
	push_viewers(af, false);
}

void appfilter_push(struct appfilter *af)
{
	rdpshare_session *s = af->s;
	struct filter_policy *p = calloc(1, sizeof(*p));
	if (p) {
		p->enabled = af->enabled;
		p->background = (uint32_t)props_get(&s->props, PROP_BACKGROUND_COLOR);
		for (int i = 0; i < af->n_apps && p->n_apps < FILTER_MAX_IDS; i++) {
			if (af->apps[i]->shared) {
				p->apps[p->n_apps++] = af->apps[i]->id;
			}
		}
		for (int i = 0; i < af->n_wins && p->n_wins < FILTER_MAX_IDS; i++) {
			if (af->wins[i]->shared) {
				p->wins[p->n_wins++] = af->wins[i]->id;
			}
		}
		if (s->engine) {
			engine_set_filter(s->engine, p);
		}
		free(p);
	}
	push_viewers(af, true);
}

void appfilter_destroy(struct appfilter *af)
{
	if (!af) {
		return;
	}
	for (int i = 0; i < af->n_wins; i++) {
		free(af->wins[i]);
	}
	for (int i = 0; i < af->n_apps; i++) {
		free_app(af->apps[i]);
	}
	free(af->wins);
	free(af->apps);
	mp_filter_free(&af->viewers);
	free(af->latest);
	pthread_mutex_destroy(&af->lock);
	free(af);
}

uint64_t appfilter_copy_for_viewers(struct appfilter *af, uint64_t since, struct mp_filter *out)
{
	memset(out, 0, sizeof(*out));
	uint64_t now = atomic_load(&af->gen);
	if (now == 0 || now == since) {
		return 0; /* nothing new: no lock on the connections' every wake-up */
	}
	pthread_mutex_lock(&af->lock);
	uint64_t gen = atomic_load(&af->gen);
	const struct mp_filter *v = &af->viewers;
	out->enabled = v->enabled;
	out->apps = malloc(((size_t)v->n_apps + 1) * sizeof(*out->apps));
	out->wins = malloc(((size_t)v->n_wins + 1) * sizeof(*out->wins));
	if (out->apps && out->wins) {
		out->n_apps = v->n_apps;
		out->n_wins = v->n_wins;
		if (out->n_apps > 0) {
			memcpy(out->apps, v->apps, (size_t)out->n_apps * sizeof(*out->apps));
		}
		if (out->n_wins > 0) {
			memcpy(out->wins, v->wins, (size_t)out->n_wins * sizeof(*out->wins));
		}
	} else {
		mp_filter_free(out);
		gen = 0; /* try again next time */
	}
	pthread_mutex_unlock(&af->lock);
	return gen;
}

void appfilter_show_window(struct appfilter *af, uint32_t id)
{
	/* the engine lives from before the first connection to after the last */
	if (af->s->engine) {
		engine_raise(af->s->engine, id);
	}
}

/* ---- the public API ---- */

bool rdpshare_session_get_filter_enabled(const rdpshare_session *s)
{
	return s && s->af->enabled;
}

int rdpshare_session_set_filter_enabled(rdpshare_session *s, bool enabled)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	if (s->af->enabled != enabled) {
		s->af->enabled = enabled;
		appfilter_push(s->af);
		post_id(s, EV_FILTER_UPDATED, enabled);
	}
	return RDPSHARE_OK;
}

int rdpshare_session_app_count(rdpshare_session *s)
{
	return s ? s->af->n_apps : RDPSHARE_E_INVALIDARG;
}

rdpshare_app *rdpshare_session_app_at(rdpshare_session *s, int index)
{
	return s && index >= 0 && index < s->af->n_apps ? s->af->apps[index] : NULL;
}

rdpshare_app *rdpshare_session_find_app(rdpshare_session *s, long id)
{
	return s && id >= 0 && id <= UINT32_MAX ? find_app(s->af, (uint32_t)id, NULL) : NULL;
}

int rdpshare_session_window_count(rdpshare_session *s)
{
	return s ? s->af->n_wins : RDPSHARE_E_INVALIDARG;
}

rdpshare_window *rdpshare_session_window_at(rdpshare_session *s, int index)
{
	return s && index >= 0 && index < s->af->n_wins ? s->af->wins[index] : NULL;
}

rdpshare_window *rdpshare_session_find_window(rdpshare_session *s, long id)
{
	return s && id >= 0 && id <= UINT32_MAX ? find_win(s->af, (uint32_t)id, NULL) : NULL;
}

long rdpshare_app_id(const rdpshare_app *app)
{
	return app ? (long)app->id : RDPSHARE_E_INVALIDARG;
}

const char *rdpshare_app_name(const rdpshare_app *app)
{
	return app ? app->name : NULL;
}

unsigned rdpshare_app_flags(const rdpshare_app *app)
{
	(void)app;
	return 0;
}

bool rdpshare_app_get_shared(const rdpshare_app *app)
{
	return app && app->shared;
}

int rdpshare_app_set_shared(rdpshare_app *app, bool shared)
{
	if (!app) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = app->session;
	CHECK_OWNER(s);
	if (app->shared != shared) {
		app->shared = shared;
		appfilter_push(s->af);
		post_id(s, EV_APP_UPDATE, app->id);
	}
	return RDPSHARE_OK;
}

int rdpshare_app_window_count(const rdpshare_app *app)
{
	return app ? app->n_wins : RDPSHARE_E_INVALIDARG;
}

rdpshare_window *rdpshare_app_window_at(const rdpshare_app *app, int index)
{
	return app && index >= 0 && index < app->n_wins ? app->wins[index] : NULL;
}

long rdpshare_window_id(const rdpshare_window *w)
{
	return w ? (long)w->id : RDPSHARE_E_INVALIDARG;
}

const char *rdpshare_window_name(const rdpshare_window *w)
{
	return w ? w->title : NULL;
}

rdpshare_app *rdpshare_window_app(const rdpshare_window *w)
{
	return w ? w->app : NULL;
}

unsigned rdpshare_window_flags(const rdpshare_window *w)
{
	(void)w;
	return 0;
}

bool rdpshare_window_get_shared(const rdpshare_window *w)
{
	return w && w->shared;
}

int rdpshare_window_set_shared(rdpshare_window *w, bool shared)
{
	if (!w) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = w->app->session;
	CHECK_OWNER(s);
	if (w->shared != shared) {
		w->shared = shared;
		appfilter_push(s->af);
		post_id(s, EV_WINDOW_UPDATE, w->id);
	}
	return RDPSHARE_OK;
}

int rdpshare_window_geometry(const rdpshare_window *w, int *x, int *y, int *width, int *height,
                             bool *visible)
{
	if (!w) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (x) {
		*x = w->x;
	}
	if (y) {
		*y = w->y;
	}
	if (width) {
		*width = w->w;
	}
	if (height) {
		*height = w->h;
	}
	if (visible) {
		*visible = w->visible;
	}
	return RDPSHARE_OK;
}

int rdpshare_window_show(rdpshare_window *w)
{
	if (!w) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = w->app->session;
	CHECK_OWNER(s);
	if (!s->engine) {
		return RDPSHARE_E_NOT_OPEN;
	}
	engine_raise(s->engine, w->id);
	return RDPSHARE_OK;
}
