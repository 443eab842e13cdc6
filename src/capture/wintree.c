#include "capture/wintree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xatom.h>
#include <X11/Xlibint.h>
#include <X11/Xutil.h>
#include <X11/extensions/XRes.h>

/* One child of the root: a window manager's frame or, without a window
 * manager, the application's window itself. */
struct tw {
	Window top, client;
	bool override_redirect, mapped, ever_mapped;
	int x, y, w, h;
	uint32_t app, owner;
	char app_name[CAP_NAME_MAX];
	char title[CAP_TITLE_MAX];
};

struct wintree {
	Display *dpy;
	Window root;
	Atom net_wm_pid, net_wm_name, utf8_string, wm_state, net_active_window;
	bool have_xres;
	struct tw *v; /* bottom of the stack first */
	int n, cap;
	struct cap_window *out;
	int out_cap, out_n;
	uint64_t serial, out_serial; /* the list handed out and its serial */
	bool out_stale;
};

static struct tw *find_top(struct wintree *t, Window w, int *at)
{
	for (int i = 0; i < t->n; i++) {
		if (t->v[i].top == w) {
			if (at) {
				*at = i;
			}
			return &t->v[i];
		}
	}
	return NULL;
}

static struct tw *find_client(struct wintree *t, Window w)
{
	for (int i = 0; i < t->n; i++) {
		if (t->v[i].client == w) {
			return &t->v[i];
		}
	}
	return NULL;
}

static bool has_wm_state(struct wintree *t, Window w)
{
	Atom type = None;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	if (XGetWindowProperty(t->dpy, w, t->wm_state, 0, 0, False, AnyPropertyType, &type, &format,
	                       &n, &after, &data) == Success &&
	    data) {
		XFree(data);
	}
	return type != None;
}

/* Under a reparenting window manager the application's window (the one
 * with WM_STATE) sits one or two levels inside the frame. */
static Window with_wm_state(struct wintree *t, Window w, int depth)
{
	if (has_wm_state(t, w)) {
		return w;
	}
	Window root, parent, *kids = NULL, found = None;
	unsigned n = 0;
	if (depth > 0 && XQueryTree(t->dpy, w, &root, &parent, &kids, &n)) {
		for (unsigned i = n; i-- > 0 && found == None;) {
			found = with_wm_state(t, kids[i], depth - 1);
		}
	}
	if (kids) {
		XFree(kids);
	}
	return found;
}

static uint32_t pid_of(struct wintree *t, Window w)
{
	uint32_t pid = 0;
	if (t->have_xres) {
		/* The server knows the peer of the client's socket: better than
		 * what the client says about itself. */
		XResClientIdSpec spec = {w, XRES_CLIENT_ID_PID_MASK};
		long n = 0;
		XResClientIdValue *vals = NULL;
		if (XResQueryClientIds(t->dpy, 1, &spec, &n, &vals) == Success) {
			for (long i = 0; i < n; i++) {
				if (XResGetClientIdType(&vals[i]) == XRES_CLIENT_ID_PID) {
					pid_t p = XResGetClientPid(&vals[i]);
					pid = p > 0 ? (uint32_t)p : 0;
				}
			}
			XResClientIdsDestroy(n, vals);
		}
	}
	if (pid == 0) {
		Atom type;
		int format;
		unsigned long n, after;
		unsigned char *data = NULL;
		if (XGetWindowProperty(t->dpy, w, t->net_wm_pid, 0, 1, False, XA_CARDINAL, &type,
		                       &format, &n, &after, &data) == Success &&
		    data) {
			if (format == 32 && n == 1) {
				pid = (uint32_t) * (unsigned long *)(void *)data;
			}
			XFree(data);
		}
	}
	return pid < CAP_APP_SYNTHETIC ? pid : 0;
}

/* Copy a title, turning Latin-1 (WM_NAME as STRING) into UTF-8 and control
 * characters into spaces; keeps whole UTF-8 sequences at the cut. */
static void set_text(char *dst, size_t size, const unsigned char *src, size_t len, bool latin1)
{
	size_t o = 0;
	for (size_t i = 0; i < len && src[i]; i++) {
		unsigned char c = src[i];
		if (latin1 && c >= 0x80) {
			if (o + 3 > size) {
				break;
			}
			dst[o++] = (char)(0xC0 | c >> 6);
			dst[o++] = (char)(0x80 | (c & 0x3F));
			continue;
		}
		if (!latin1 && c >= 0xC0) {
			size_t seq = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (o + seq + 1 > size) {
				break;
			}
		}
		if (o + 2 > size) {
			break;
		}
		dst[o++] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
	}
	dst[o] = '\0';
}

static void read_title(struct wintree *t, struct tw *e)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	e->title[0] = '\0';
	if (XGetWindowProperty(t->dpy, e->client, t->net_wm_name, 0, CAP_TITLE_MAX / 4, False,
	                       t->utf8_string, &type, &format, &n, &after, &data) == Success &&
	    data) {
		if (type == t->utf8_string && format == 8) {
			set_text(e->title, sizeof(e->title), data, n, false);
		}
		XFree(data);
		if (e->title[0]) {
			return;
		}
	}
	data = NULL;
	if (XGetWindowProperty(t->dpy, e->client, XA_WM_NAME, 0, CAP_TITLE_MAX / 4, False,
	                       AnyPropertyType, &type, &format, &n, &after, &data) == Success &&
	    data) {
		if (format == 8) {
			set_text(e->title, sizeof(e->title), data, n, type == XA_STRING);
		}
		XFree(data);
	}
}

static void read_app(struct wintree *t, struct tw *e)
{
	uint32_t pid = pid_of(t, e->client);
	e->app_name[0] = '\0';
	if (pid) {
		char path[32];
		snprintf(path, sizeof(path), "/proc/%u/comm", pid);
		FILE *f = fopen(path, "re");
		if (f) {
			char buf[CAP_NAME_MAX];
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0')) {
				n--;
			}
			set_text(e->app_name, sizeof(e->app_name), (unsigned char *)buf, n, false);
		}
		e->app = pid;
	} else {
		/* No process known (a remote client): one application per X
		 * client connection, whose number is the id's high bits. */
		unsigned long mask = t->dpy->resource_mask;
		e->app = CAP_APP_SYNTHETIC + (uint32_t)((e->client & ~mask) / (mask + 1));
	}
	XClassHint ch = {NULL, NULL};
	if (XGetClassHint(t->dpy, e->client, &ch)) {
		if (!e->app_name[0] && ch.res_name) {
			set_text(e->app_name, sizeof(e->app_name), (unsigned char *)ch.res_name,
			         strlen(ch.res_name), true);
		}
		XFree(ch.res_name);
		XFree(ch.res_class);
	}
	if (!e->app_name[0]) {
		snprintf(e->app_name, sizeof(e->app_name), "unknown");
	}
}

static void read_owner(struct wintree *t, struct tw *e)
{
	Window owner = None;
	e->owner =
	    XGetTransientForHint(t->dpy, e->client, &owner) && owner != None && owner != t->root
	        ? (uint32_t)owner
	        : 0;
}

/* The window was mapped: find the application's window inside a frame and
 * (re)read what the filter needs. */
static void learn(struct wintree *t, struct tw *e)
{
	Window c = e->override_redirect ? None : with_wm_state(t, e->top, 2);
	e->client = c != None ? c : e->top;
	XSelectInput(t->dpy, e->client, PropertyChangeMask);
	read_app(t, e);
	read_title(t, e);
	read_owner(t, e);
}

static struct tw *insert(struct wintree *t, int at, Window w)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 64;
		struct tw *v = realloc(t->v, (size_t)cap * sizeof(*v));
		if (!v) {
			return NULL;
		}
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[at + 1], &t->v[at], (size_t)(t->n - at) * sizeof(*t->v));
	t->n++;
	struct tw *e = &t->v[at];
	memset(e, 0, sizeof(*e));
	e->top = e->client = w;
	return e;
}

static void remove_at(struct wintree *t, int at)
{
	memmove(&t->v[at], &t->v[at + 1], (size_t)(t->n - at - 1) * sizeof(*t->v));
	t->n--;
}

/* Move the entry at `at` to just above sibling `above` (None: bottom). */
static void restack(struct wintree *t, int at, Window above)
{
	struct tw e = t->v[at];
	remove_at(t, at);
	int to = 0;
	if (above != None) {
		int s;
		to = find_top(t, above, &s) ? s + 1 : t->n;
	}
	memmove(&t->v[to + 1], &t->v[to], (size_t)(t->n - to) * sizeof(*t->v));
	t->v[to] = e;
	t->n++;
}

static void add_top(struct wintree *t, Window w, bool fetch)
{
	XWindowAttributes a;
	if (find_top(t, w, NULL) || !XGetWindowAttributes(t->dpy, w, &a)) {
		return; /* known already, or gone again */
	}
	struct tw *e = insert(t, t->n, w);
	if (!e) {
		return;
	}
	e->override_redirect = a.override_redirect;
	e->mapped = a.map_state == IsViewable;
	e->x = a.x;
	e->y = a.y;
	e->w = a.width + 2 * a.border_width;
	e->h = a.height + 2 * a.border_width;
	if (e->mapped || fetch) {
		e->ever_mapped = e->mapped;
		learn(t, e);
	}
}

struct wintree *wintree_new(Display *dpy, Window root)
{
	struct wintree *t = calloc(1, sizeof(*t));
	if (!t) {
		return NULL;
	}
	t->dpy = dpy;
	t->root = root;
	t->net_wm_pid = XInternAtom(dpy, "_NET_WM_PID", False);
	t->net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
	t->utf8_string = XInternAtom(dpy, "UTF8_STRING", False);
	t->wm_state = XInternAtom(dpy, "WM_STATE", False);
	t->net_active_window = XInternAtom(dpy, "_NET_ACTIVE_WINDOW", False);
	int ev, err, major = 1, minor = 2;
	t->have_xres = XResQueryExtension(dpy, &ev, &err) &&
	               XResQueryVersion(dpy, &major, &minor) && (major > 1 || minor >= 2);
	Window r, parent, *kids = NULL;
	unsigned n = 0;
	if (XQueryTree(dpy, root, &r, &parent, &kids, &n)) {
		for (unsigned i = 0; i < n; i++) {
			add_top(t, kids[i], false);
		}
		if (kids) {
			XFree(kids);
		}
	}
	t->out_stale = true;
	t->serial = 1;
	return t;
}

void wintree_free(struct wintree *t)
{
	if (t) {
		free(t->v);
		free(t->out);
		free(t);
	}
}

static bool on_root_event(struct wintree *t, const XEvent *ev)
{
	int at;
	struct tw *e;
	switch (ev->type) {
	case CreateNotify:
		if (ev->xcreatewindow.parent != t->root) {
			return false;
		}
		add_top(t, ev->xcreatewindow.window, false);
		return true;
	case DestroyNotify:
		if (!find_top(t, ev->xdestroywindow.window, &at)) {
			return false;
		}
		remove_at(t, at);
		return true;
	case ReparentNotify:
		if (ev->xreparent.parent == t->root) {
			add_top(t, ev->xreparent.window, false);
		} else if (find_top(t, ev->xreparent.window, &at)) {
			remove_at(t, at);
		} else {
			return false;
		}
		return true;
	case MapNotify:
		if (!(e = find_top(t, ev->xmap.window, NULL))) {
			return false;
		}
		e->mapped = e->ever_mapped = true;
		learn(t, e);
		return true;
	case UnmapNotify:
		if (!(e = find_top(t, ev->xunmap.window, NULL)) || !e->mapped) {
			return false;
		}
		e->mapped = false;
		return true;
	case ConfigureNotify: {
		const XConfigureEvent *c = &ev->xconfigure;
		if (!find_top(t, c->window, &at)) {
			return false;
		}
		e = &t->v[at];
		e->x = c->x;
		e->y = c->y;
		e->w = c->width + 2 * c->border_width;
		e->h = c->height + 2 * c->border_width;
		e->override_redirect = c->override_redirect;
		restack(t, at, c->above);
		return true;
	}
	case CirculateNotify:
		if (!find_top(t, ev->xcirculate.window, &at)) {
			return false;
		}
		restack(t, at, ev->xcirculate.place == PlaceOnTop ? t->v[t->n - 1].top : None);
		return true;
	default:
		return false;
	}
}

bool wintree_event(struct wintree *t, const XEvent *ev)
{
	bool changed;
	if (ev->type == PropertyNotify) {
		struct tw *e = find_client(t, ev->xproperty.window);
		Atom a = ev->xproperty.atom;
		if (!e) {
			return false;
		}
		if (a == XA_WM_NAME || a == t->net_wm_name) {
			read_title(t, e);
		} else if (a == XA_WM_TRANSIENT_FOR || a == t->net_wm_pid || a == XA_WM_CLASS) {
			read_app(t, e);
			read_owner(t, e);
		} else {
			return false;
		}
		changed = true;
	} else {
		changed = on_root_event(t, ev);
	}
	if (changed) {
		t->serial++;
		t->out_stale = true;
	}
	return changed;
}

int wintree_list(struct wintree *t, const struct cap_window **out, uint64_t *serial)
{
	if (t->out_stale) {
		if (t->out_cap < t->n) {
			struct cap_window *o = realloc(t->out, (size_t)t->cap * sizeof(*o));
			if (!o) {
				/* the old list stays, with its serial; the next call retries */
				*out = t->out;
				*serial = t->out_serial;
				return t->out_n;
			}
			t->out = o;
			t->out_cap = t->cap;
		}
		for (int i = 0; i < t->n; i++) {
			const struct tw *e = &t->v[i];
			struct cap_window *w = &t->out[i];
			w->id = (uint32_t)e->client;
			w->app = e->app;
			w->owner = e->owner;
			w->x = e->x;
			w->y = e->y;
			w->w = e->w;
			w->h = e->h;
			w->viewable = e->mapped;
			w->listed = e->ever_mapped && !e->override_redirect && !e->owner;
			memcpy(w->app_name, e->app_name, sizeof(w->app_name));
			memcpy(w->title, e->title, sizeof(w->title));
		}
		t->out_stale = false;
		t->out_n = t->n;
		t->out_serial = t->serial;
	}
	*out = t->out;
	*serial = t->out_serial;
	return t->out_n;
}

int wintree_raise(struct wintree *t, uint32_t id)
{
	struct tw *e = find_client(t, id);
	if (!e) {
		return -ENOENT;
	}
	if (!e->mapped) {
		XMapWindow(t->dpy, e->client);
	}
	XRaiseWindow(t->dpy, e->top);
	/* A window manager redirects the raise; the EWMH request is how a
	 * pager asks it to activate a window. */
	XEvent ev;
	memset(&ev, 0, sizeof(ev));
	ev.xclient.type = ClientMessage;
	ev.xclient.window = e->client;
	ev.xclient.message_type = t->net_active_window;
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = 2; /* source: a pager */
	ev.xclient.data.l[1] = CurrentTime;
	XSendEvent(t->dpy, t->root, False, SubstructureRedirectMask | SubstructureNotifyMask, &ev);
	XFlush(t->dpy);
	return 0;
}

int wintree_focus(struct wintree *t, uint32_t *id)
{
	Window f = None;
	int revert;
	XGetInputFocus(t->dpy, &f, &revert);
	if (f == PointerRoot || f == t->root) {
		return 1; /* keys go to the window under the pointer */
	}
	/* climb from the focused window to its top-level */
	for (int depth = 0; f != None && depth < 64; depth++) {
		struct tw *e = find_top(t, f, NULL);
		if (e) {
			*id = (uint32_t)e->client;
			return 0;
		}
		Window root, parent = None, *kids = NULL;
		unsigned n;
		if (!XQueryTree(t->dpy, f, &root, &parent, &kids, &n)) {
			return -ENOENT;
		}
		if (kids) {
			XFree(kids);
		}
		f = parent == t->root ? None : parent;
	}
	return -ENOENT;
}
