/* The application filter in the sharer tool: --app (share only these
 * applications), the open/close/update events as text or JSON lines, and
 * the ctl commands apps, share, filter and show. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define MAX_WANTED 16

static const char *wanted[MAX_WANTED];
static int n_wanted;
static bool json;

int apps_init(bool json_mode, const char *const *names, int n)
{
	json = json_mode;
	if (n > MAX_WANTED) {
		return -E2BIG;
	}
	for (int i = 0; i < n; i++) {
		wanted[i] = names[i];
	}
	n_wanted = n;
	return 0;
}

static bool is_wanted(const rdpshare_app *a)
{
	for (int i = 0; i < n_wanted; i++) {
		long pid;
		if (strcmp(wanted[i], rdpshare_app_name(a)) == 0 ||
		    (tool_parse_id(wanted[i], &pid) && pid == rdpshare_app_id(a))) {
			return true;
		}
	}
	return false;
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void app_event(const char *what, const rdpshare_app *a)
{
	struct sbuf b = {0};
	if (json) {
		sb_printf(&b, "{\"event\":\"application_%s\",\"id\":%ld,\"name\":", what,
		          rdpshare_app_id(a));
		sb_json_str(&b, rdpshare_app_name(a));
		sb_printf(&b, ",\"shared\":%s}", rdpshare_app_get_shared(a) ? "true" : "false");
	} else {
		/* process and window names are the applications' choice (a web
		 * page sets a browser's title): shown escaped and capped */
		sb_printf(&b, "app-%s id=%ld name=", what, rdpshare_app_id(a));
		sb_name(&b, rdpshare_app_name(a), TEXT_NAME_MAX);
		sb_printf(&b, " shared=%s", yes(rdpshare_app_get_shared(a)));
	}
	tool_emit(&b);
}

static void window_event(const char *what, const rdpshare_window *w)
{
	struct sbuf b = {0};
	long app = rdpshare_app_id(rdpshare_window_app(w));
	if (json) {
		sb_printf(&b, "{\"event\":\"window_%s\",\"id\":%ld,\"app\":%ld,\"title\":", what,
		          rdpshare_window_id(w), app);
		sb_json_str(&b, rdpshare_window_name(w));
		sb_printf(&b, ",\"shared\":%s}", rdpshare_window_get_shared(w) ? "true" : "false");
	} else {
		sb_printf(&b, "window-%s id=0x%lx app=%ld shared=%s title=", what,
		          rdpshare_window_id(w), app, yes(rdpshare_window_get_shared(w)));
		const char *title = rdpshare_window_name(w);
		char *t =
		    text_terminal(title, title ? strlen(title) : 0, TEXT_LINE_MAX, TEXT_QUOTED);
		sb_printf(&b, "%s", t ? t : "\"\"");
		free(t);
	}
	tool_emit(&b);
}

static void on_app_open(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	if (is_wanted(a)) {
		/* before the event, so it shows the application as shared */
		rdpshare_app_set_shared(a, true);
	}
	app_event("open", a);
}

static void on_app_close(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	app_event("close", a);
}

static void on_app_update(rdpshare_session *s, rdpshare_app *a, void *ud)
{
	(void)s;
	(void)ud;
	app_event("update", a);
}

static void on_win_open(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	window_event("open", w);
}

static void on_win_close(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	window_event("close", w);
}

static void on_win_update(rdpshare_session *s, rdpshare_window *w, void *ud)
{
	(void)s;
	(void)ud;
	window_event("update", w);
}

static void on_filter(rdpshare_session *s, bool enabled, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json) {
		sb_printf(&b, "{\"event\":\"filter_updated\",\"enabled\":%s}",
		          enabled ? "true" : "false");
	} else {
		sb_printf(&b, "filter %s", enabled ? "on" : "off");
	}
	tool_emit(&b);
}

void apps_callbacks(struct rdpshare_callbacks *cb)
{
	cb->application_open = on_app_open;
	cb->application_close = on_app_close;
	cb->application_update = on_app_update;
	cb->window_open = on_win_open;
	cb->window_close = on_win_close;
	cb->window_update = on_win_update;
	cb->filter_updated = on_filter;
}

/* ---- ctl ---- */

void apps_json(struct sbuf *b, rdpshare_session *s)
{
	sb_printf(b, "{\"ok\":true,\"filter\":%s,\"applications\":[",
	          rdpshare_session_get_filter_enabled(s) ? "true" : "false");
	int n = rdpshare_session_app_count(s);
	for (int i = 0; i < n; i++) {
		rdpshare_app *a = rdpshare_session_app_at(s, i);
		sb_printf(b, "%s{\"id\":%ld,\"name\":", i ? "," : "", rdpshare_app_id(a));
		sb_json_str(b, rdpshare_app_name(a));
		sb_printf(b, ",\"shared\":%s,\"windows\":[",
		          rdpshare_app_get_shared(a) ? "true" : "false");
		int nw = rdpshare_app_window_count(a);
		for (int k = 0; k < nw; k++) {
			rdpshare_window *w = rdpshare_app_window_at(a, k);
			int x, y, wd, ht;
			bool vis;
			rdpshare_window_geometry(w, &x, &y, &wd, &ht, &vis);
			sb_printf(b, "%s{\"id\":%ld,\"hex\":\"0x%lx\",\"title\":", k ? "," : "",
			          rdpshare_window_id(w), rdpshare_window_id(w));
			sb_json_str(b, rdpshare_window_name(w));
			sb_printf(b,
			          ",\"shared\":%s,\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,"
			          "\"visible\":%s}",
			          rdpshare_window_get_shared(w) ? "true" : "false", x, y, wd, ht,
			          vis ? "true" : "false");
		}
		sb_printf(b, "]}");
	}
	sb_printf(b, "]}");
}

static bool on_off(const char *s, bool *out)
{
	*out = strcmp(s, "on") == 0;
	return *out || strcmp(s, "off") == 0;
}

/* share [app:|window:]ID on|off */
void apps_cmd_share(struct sbuf *b, rdpshare_session *s, const char *arg, const char *state)
{
	bool on;
	bool only_app = strncmp(arg, "app:", 4) == 0;
	bool only_win = strncmp(arg, "window:", 7) == 0;
	long id;
	if (!on_off(state, &on) || !tool_parse_id(arg + (only_app ? 4 : only_win ? 7 : 0), &id)) {
		sb_error(b, "usage: share [app:|window:]ID on|off");
		return;
	}
	rdpshare_app *a = only_win ? NULL : rdpshare_session_find_app(s, id);
	rdpshare_window *w = only_app ? NULL : rdpshare_session_find_window(s, id);
	if (a && w) {
		sb_error(b, "an application and a window have that id: say app:ID or window:ID");
	} else if (a) {
		sb_result(b, rdpshare_app_set_shared(a, on));
	} else if (w) {
		sb_result(b, rdpshare_window_set_shared(w, on));
	} else {
		sb_error(b, "no application or window with that id (see ctl apps)");
	}
}

void apps_cmd_filter(struct sbuf *b, rdpshare_session *s, const char *state)
{
	bool on;
	if (!on_off(state, &on)) {
		sb_error(b, "usage: filter on|off");
		return;
	}
	sb_result(b, rdpshare_session_set_filter_enabled(s, on));
}

void apps_cmd_show(struct sbuf *b, rdpshare_session *s, const char *arg)
{
	long id;
	rdpshare_window *w = tool_parse_id(arg, &id) ? rdpshare_session_find_window(s, id) : NULL;
	if (!w) {
		sb_error(b, "no window with that id (see ctl apps)");
		return;
	}
	sb_result(b, rdpshare_window_show(w));
}
