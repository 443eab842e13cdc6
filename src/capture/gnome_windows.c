/* gnome-shell's windows for the application filter of the GNOME back-end.
 *
 * Where they come from: gnome-shell's Introspect.GetWindows lists windows
 * with their size but without position, stacking order or process, which
 * the filter's rules need (reference/wayland-headless.md). gnome-shell
 * answers it to programs other than its own tools only in unsafe mode,
 * and in that mode it also answers Eval, which can tell all of it. So the
 * list is one Eval of the fixed script below: no text from a viewer or a
 * window ever becomes part of a script (raise puts in a number we
 * format), and the answer is parsed as untrusted (gnometree.c).
 *
 * When: gnome-shell signals no moves, so as on sway a change of the
 * picture (gnome_windows_touch) asks again GNOME_WINDOWS_REFRESH_MS later,
 * asynchronously: the answer arrives through the bus's processing, and a
 * still screen asks nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "capture/gnome.h"
#include "capture/gnometree.h"
#include "capture/winlist.h"

#define SHELL_NAME "org.gnome.Shell"
#define SHELL_PATH "/org/gnome/Shell"

/* Mutter's window ids are 64-bit; the list carries them modulo 2^32 (a
 * clash needs four billion windows in one session). The monitor is the
 * primary one, which gnome_dbus.c records. The answer is bounded by the
 * script itself (the topmost GNOMETREE_MAX_WINDOWS windows, each text cut
 * at 256 UTF-16 units: under 2 MB however hostile the titles), so it always
 * fits GNOMETREE_MAX_JSON and a program cannot push the list past parsing. */
static const char LIST_SCRIPT[] =
    "(() => {"
    "const t = imports.gi.Shell.WindowTracker.get_default();"
    "const d = global.display, ws = global.workspace_manager.get_active_workspace();"
    "const id = w => w ? w.get_id() % 4294967296 : 0, cut = s => (s || '').slice(0, 256);"
    "const m = d.get_monitor_geometry(d.get_primary_monitor());"
    "return {focus: id(d.focus_window), mon: {x: m.x, y: m.y, w: m.width, h: m.height},"
    " windows: global.get_window_actors().map(a => a.meta_window).filter(w => w).slice(-512)"
    " .map(w => {"
    "  const r = w.get_frame_rect(), app = t.get_window_app(w);"
    "  return {id: id(w), pid: w.get_pid(), x: r.x, y: r.y, w: r.width, h: r.height,"
    "   title: cut(w.get_title()), app: cut(app ? app.get_id() : ''), class: cut(w.get_wm_class()),"
    "   owner: id(w.get_transient_for()), type: w.get_window_type(),"
    "   shown: !w.minimized && w.showing_on_its_workspace() && w.located_on_workspace(ws)};"
    " })};"
    "})()";

struct gnome_windows {
	sd_bus *bus;
	int tfd;
	bool armed;             /* tfd counts down to a refresh */
	sd_bus_slot *pending;   /* the refresh in flight */
	sd_bus_slot *raising;   /* the raise in flight */
	uint32_t raise_next;    /* the raise asked for meanwhile (0: none) */
	int stream_w, stream_h; /* what positions are scaled to */
	struct gnometree list;
	uint64_t serial;
	bool changed;
};

/* Eval's answer (bs): 0 and the JSON text (valid until m goes), -EACCES
 * when gnome-shell says no (false: not in unsafe mode, or the script
 * failed), -EPROTO for other shapes. */
static int read_answer(sd_bus_message *m, const char **json)
{
	int ok = 0;
	if (sd_bus_message_read(m, "bs", &ok, json) < 0) {
		return -EPROTO;
	}
	return ok ? 0 : -EACCES;
}

/* The list from an answer; NULL (no answer, a refusal, an answer that is
 * no list) empties it: a stale list would show a window that moved over a
 * shared one, and send keys by an old focus, so the filter fails closed
 * (everything hidden, keys dropped) until gnome-shell answers again. */
static void take(struct gnome_windows *gw, const char *json)
{
	struct gnometree t = {0};
	if (!json || gnometree_parse(&t, json, strlen(json), gw->stream_w, gw->stream_h) < 0) {
		gnometree_finish(&t);
	}
	winlist_name_processes(t.v, t.n, gw->list.v, gw->list.n);
	if (winlist_same(t.v, t.n, gw->list.v, gw->list.n)) {
		gw->list.focus = t.focus;
		gnometree_finish(&t);
		return;
	}
	gnometree_finish(&gw->list);
	gw->list = t;
	gw->serial++;
	gw->changed = true;
}

static int on_answer(sd_bus_message *m, void *data, sd_bus_error *e)
{
	(void)e;
	struct gnome_windows *gw = data;
	gw->pending = sd_bus_slot_unref(gw->pending);
	const char *json = NULL;
	if (sd_bus_message_is_method_error(m, NULL) || read_answer(m, &json) < 0) {
		json = NULL; /* asked again after the next change, not in a loop */
	}
	take(gw, json);
	return 0;
}

static int new_eval(struct gnome_windows *gw, sd_bus_message **m, const char *script)
{
	int r =
	    sd_bus_message_new_method_call(gw->bus, m, SHELL_NAME, SHELL_PATH, SHELL_NAME, "Eval");
	if (r >= 0) {
		r = sd_bus_message_append(*m, "s", script);
	}
	return r < 0 ? r : 0;
}

/* A call waiting for its answer: 0 and *reply (the caller unrefs it). */
static int eval_wait(struct gnome_windows *gw, const char *script, sd_bus_message **reply)
{
	sd_bus_message *m = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = new_eval(gw, &m, script);
	if (r == 0) {
		r = sd_bus_call(gw->bus, m, (uint64_t)GNOME_OPEN_TIMEOUT_MS * 1000u, &e, reply);
		if (r < 0 && (sd_bus_error_has_name(&e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
		              sd_bus_error_has_name(&e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))) {
			r = -ENXIO;
		} else if (r < 0 && (sd_bus_error_has_name(&e, SD_BUS_ERROR_UNKNOWN_METHOD) ||
		                     sd_bus_error_has_name(&e, SD_BUS_ERROR_ACCESS_DENIED))) {
			r = -EACCES;
		}
	}
	sd_bus_message_unref(m);
	sd_bus_error_free(&e);
	return r < 0 ? r : 0;
}

int gnome_windows_create(struct gnome_bus *b, int stream_w, int stream_h,
                         struct gnome_windows **out, char *why, size_t why_len)
{
	struct gnome_windows *gw = calloc(1, sizeof(*gw));
	if (!gw) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	gw->bus = gnome_bus_conn(b);
	gw->stream_w = stream_w;
	gw->stream_h = stream_h;
	gw->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	sd_bus_message *reply = NULL;
	const char *json = NULL;
	int r = gw->tfd < 0 ? -errno : eval_wait(gw, LIST_SCRIPT, &reply);
	if (r == 0) {
		r = read_answer(reply, &json);
	}
	if (r == 0) {
		struct gnometree t;
		r = gnometree_parse(&t, json, strlen(json), stream_w, stream_h) < 0 ? -EPROTO : 0;
		gnometree_finish(&t);
	}
	if (r == 0) {
		take(gw, json);
	}
	sd_bus_message_unref(reply);
	if (r < 0) {
		if (r == -ENXIO) {
			snprintf(why, why_len,
			         "gnome-shell is not running, and Mutter alone tells no "
			         "application where its windows are");
		} else if (r == -EACCES) {
			snprintf(why, why_len,
			         "gnome-shell tells only its own tools where windows are; it tells "
			         "others in unsafe mode only (Alt+F2, lg, then "
			         "global.context.unsafe_mode = true, at your own risk)");
		} else {
			snprintf(why, why_len, "gnome-shell did not list its windows (%s)",
			         strerror(-r));
		}
		gnome_windows_destroy(gw);
		return r;
	}
	gw->changed = false;
	*out = gw;
	return 0;
}

void gnome_windows_touch(struct gnome_windows *gw)
{
	if (gw->armed) {
		return;
	}
	struct itimerspec its = {{0, 0}, {0, GNOME_WINDOWS_REFRESH_MS * 1000000L}};
	gw->armed = timerfd_settime(gw->tfd, 0, &its, NULL) == 0;
}

int gnome_windows_fd(struct gnome_windows *gw)
{
	return gw->tfd;
}

int gnome_windows_process(struct gnome_windows *gw, int stream_w, int stream_h)
{
	uint64_t ticks;
	if (read(gw->tfd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks)) {
		gw->armed = false;
		if (stream_w != gw->stream_w || stream_h != gw->stream_h) {
			gw->stream_w = stream_w;
			gw->stream_h = stream_h;
		}
		sd_bus_message *m = NULL;
		/* one in flight at a time: a slow shell is asked again later,
		 * and so is one we could not ask now */
		if (gw->pending || new_eval(gw, &m, LIST_SCRIPT) < 0 ||
		    sd_bus_call_async(gw->bus, &gw->pending, m, on_answer, gw,
		                      (uint64_t)GNOME_OPEN_TIMEOUT_MS * 1000u) < 0) {
			gnome_windows_touch(gw);
		}
		sd_bus_message_unref(m);
	}
	bool changed = gw->changed;
	gw->changed = false;
	return changed ? 1 : 0;
}

int gnome_windows_list(struct gnome_windows *gw, const struct cap_window **out, uint64_t *serial)
{
	*out = gw->list.v;
	*serial = gw->serial;
	return gw->list.n;
}

static int send_raise(struct gnome_windows *gw, uint32_t id);

static int on_raised(sd_bus_message *m, void *data, sd_bus_error *e)
{
	(void)m;
	(void)e;
	struct gnome_windows *gw = data;
	gw->raising = sd_bus_slot_unref(gw->raising);
	gnome_windows_touch(gw); /* the stacking and the focus changed */
	uint32_t next = gw->raise_next;
	gw->raise_next = 0;
	if (next) {
		send_raise(gw, next);
	}
	return 0;
}

static int send_raise(struct gnome_windows *gw, uint32_t id)
{
	char script[256];
	snprintf(script, sizeof(script),
	         "(() => { const w = global.get_window_actors().map(a => a.meta_window)"
	         ".find(w => w && w.get_id() %% 4294967296 == %u);"
	         " if (!w) return false; w.activate(global.get_current_time()); return true; })()",
	         id);
	sd_bus_message *m = NULL;
	int r = new_eval(gw, &m, script);
	if (r == 0) {
		r = sd_bus_call_async(gw->bus, &gw->raising, m, on_raised, gw,
		                      (uint64_t)GNOME_OPEN_TIMEOUT_MS * 1000u);
	}
	sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}

/* Asynchronous, like the list: the engine's thread never waits for a slow
 * shell. One raise in flight; of those asked meanwhile the last counts. */
int gnome_windows_raise(struct gnome_windows *gw, uint32_t id)
{
	bool known = false;
	for (int i = 0; i < gw->list.n && !known; i++) {
		known = gw->list.v[i].id == id;
	}
	if (!known) {
		return -ENOENT;
	}
	if (gw->raising) {
		gw->raise_next = id;
		return 0;
	}
	return send_raise(gw, id);
}

int gnome_windows_focus(struct gnome_windows *gw, uint32_t *id)
{
	if (!gw->list.focus) {
		return -ENOENT;
	}
	*id = gw->list.focus;
	return 0;
}

void gnome_windows_destroy(struct gnome_windows *gw)
{
	if (!gw) {
		return;
	}
	sd_bus_slot_unref(gw->pending);
	sd_bus_slot_unref(gw->raising);
	if (gw->tfd >= 0) {
		close(gw->tfd);
	}
	gnometree_finish(&gw->list);
	free(gw);
}
