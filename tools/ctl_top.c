/* `rdpshare ctl top`: what the sharer's viewers get, redrawn once a second,
 * like top(1). On a terminal: y / n answer the control request on top, the
 * arrow keys choose an attendee and k kicks it, q quits. Into a pipe: one
 * plain line a second, for logs. Everything comes from the same commands
 * a script would send (attendees, requests, grant, deny, kick). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ctl_view.h"
#include "tool.h"

#define REFRESH_MS 1000

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct top {
	const char *path;
	bool tty;
	json_object *att, *req; /* the last answers' lists */
	json_object *att_root, *req_root;
	int selected; /* attendee id, -1: none */
	char status[256];
};

static json_object *ask_list(struct top *t, const char *cmd, const char *key, json_object **root)
{
	char *argv[] = {(char *)cmd};
	struct sbuf reply = {0};
	char why[160];
	*root = NULL;
	if (ctl_ask(t->path, 1, argv, &reply, why, sizeof(why)) < 0) {
		snprintf(t->status, sizeof(t->status), "%s", why);
		sb_free(&reply);
		return NULL;
	}
	*root = json_tokener_parse(reply.p);
	sb_free(&reply);
	json_object *list = ctl_get(*root, key);
	return json_object_is_type(list, json_type_array) ? list : NULL;
}

/* false when the sharer is gone */
static bool refresh(struct top *t)
{
	json_object_put(t->att_root);
	json_object_put(t->req_root);
	t->req_root = NULL;
	t->att = ask_list(t, "attendees", "attendees", &t->att_root);
	t->req = t->att ? ask_list(t, "requests", "requests", &t->req_root) : NULL;
	if (!t->att || !t->req) {
		return false;
	}
	/* keep the choice on an attendee still there, else the first */
	size_t n = json_object_array_length(t->att);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++) {
		found = json_object_get_int(ctl_get(json_object_array_get_idx(t->att, i), "id")) ==
		        t->selected;
	}
	if (!found) {
		t->selected =
		    n ? json_object_get_int(ctl_get(json_object_array_get_idx(t->att, 0), "id"))
		      : -1;
	}
	return true;
}

static void move_selection(struct top *t, int step)
{
	int n = (int)json_object_array_length(t->att);
	for (int i = 0; i < n; i++) {
		if (json_object_get_int(ctl_get(json_object_array_get_idx(t->att, (size_t)i),
		                                "id")) == t->selected) {
			int k = i + step < 0 ? 0 : i + step >= n ? n - 1 : i + step;
			t->selected = json_object_get_int(
			    ctl_get(json_object_array_get_idx(t->att, (size_t)k), "id"));
			return;
		}
	}
}

/* Send "cmd arg" and say how it went on the status line. */
static void act(struct top *t, const char *cmd, int arg, const char *done)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", arg);
	char *argv[] = {(char *)cmd, num};
	struct sbuf reply = {0};
	char why[160];
	if (ctl_ask(t->path, 2, argv, &reply, why, sizeof(why)) < 0) {
		snprintf(t->status, sizeof(t->status), "%s", why);
	} else {
		json_object *root = json_tokener_parse(reply.p);
		json_object *ok = ctl_get(root, "ok");
		char *err = ctl_cell(ctl_get(root, "error"), 120);
		snprintf(t->status, sizeof(t->status), "%s %d: %s", done, arg,
		         ok && json_object_get_boolean(ok) ? "done"
		         : err                             ? err
		                                           : "failed");
		free(err);
		json_object_put(root);
	}
	sb_free(&reply);
}

static void answer_top_request(struct top *t, bool grant)
{
	if (json_object_array_length(t->req) == 0) {
		snprintf(t->status, sizeof(t->status), "no request to answer");
		return;
	}
	json_object *r = json_object_array_get_idx(t->req, 0);
	act(t, grant ? "grant" : "deny", json_object_get_int(ctl_get(r, "id")),
	    grant ? "granted request" : "denied request");
}

static void draw_screen(struct top *t)
{
	time_t now = time(NULL);
	char clock[16];
	strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
	/* home and clear: the whole screen is ours until q */
	printf("\033[H\033[2Jrdpshare top  %s  %zu attendee(s), %zu request(s)\n", clock,
	       json_object_array_length(t->att), json_object_array_length(t->req));
	puts("y/n: answer the request on top   up/down: choose   k: kick the chosen   q: quit\n");
	ctl_show_attendees(t->att, t->selected);
	putchar('\n');
	ctl_show_requests(t->req, false);
	if (t->status[0]) {
		char *s = text_terminal(t->status, strlen(t->status), 200, TEXT_BARE);
		printf("\n%s\n", s ? s : "");
		free(s);
	}
	fflush(stdout);
}

static void draw_line(struct top *t)
{
	time_t now = time(NULL);
	char clock[16];
	strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
	struct sbuf b = {0};
	sb_printf(&b, "%s attendees=%zu requests=%zu", clock, json_object_array_length(t->att),
	          json_object_array_length(t->req));
	size_t n = json_object_array_length(t->att);
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(t->att, i);
		char *name = ctl_cell(ctl_get(a, "name"), TEXT_NAME_MAX);
		json_object *fps = ctl_get(a, "fps"), *kb = ctl_get(a, "kbit_s");
		json_object *p50 = ctl_get(a, "latency_p50_us");
		sb_printf(&b, " | %d %s %s %s fps=%.1f kbit_s=%.0f p50_ms=%.1f skipped=%d",
		          json_object_get_int(ctl_get(a, "id")), name ? name : "?",
		          json_object_get_string(ctl_get(a, "level")),
		          json_object_get_string(ctl_get(a, "codec")),
		          fps ? json_object_get_double(fps) : 0.0,
		          kb ? json_object_get_double(kb) : 0.0,
		          p50 ? json_object_get_double(p50) / 1000.0 : 0.0,
		          json_object_get_int(ctl_get(a, "frames_skipped")));
		free(name);
	}
	n = json_object_array_length(t->req);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(t->req, i);
		char *name = ctl_cell(ctl_get(r, "name"), TEXT_NAME_MAX);
		sb_printf(&b, " | request %d: %s wants %s", json_object_get_int(ctl_get(r, "id")),
		          name ? name : "?", json_object_get_string(ctl_get(r, "level")));
		free(name);
	}
	printf("%s\n", b.p ? b.p : "");
	fflush(stdout);
	sb_free(&b);
}

/* One key (or an arrow's escape sequence) from the terminal. */
static void handle_key(struct top *t, bool *quit)
{
	char k[8];
	ssize_t n = read(STDIN_FILENO, k, sizeof(k));
	if (n <= 0) {
		*quit = true; /* the terminal went away */
		return;
	}
	if (n >= 3 && k[0] == '\033' && k[1] == '[') {
		move_selection(t, k[2] == 'A' ? -1 : k[2] == 'B' ? 1 : 0);
		return;
	}
	switch (k[0]) {
	case 'q':
	case 'Q':
		*quit = true;
		break;
	case 'y':
	case 'Y':
		answer_top_request(t, true);
		break;
	case 'n':
	case 'N':
		answer_top_request(t, false);
		break;
	case 'k':
	case 'K':
		if (t->selected >= 0) {
			act(t, "kick", t->selected, "kicked attendee");
		}
		break;
	default:
		break;
	}
}

int ctl_top(const char *path)
{
	struct top t = {.path = path, .selected = -1};
	t.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	struct termios saved;
	if (t.tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		printf("\033[?25l"); /* no cursor blinking over the table */
	} else {
		t.tty = false;
	}
	/* no SA_RESTART: poll returns at once on ^C, and the terminal is restored */
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int status = 0;
	bool quit = false;
	while (!quit && !stop) {
		if (!refresh(&t)) {
			status = 1;
			break;
		}
		t.tty ? draw_screen(&t) : draw_line(&t);
		struct pollfd p = {t.tty ? STDIN_FILENO : -1, POLLIN, 0};
		if (poll(&p, 1, REFRESH_MS) > 0 && (p.revents & (POLLIN | POLLHUP))) {
			handle_key(&t, &quit);
		}
	}
	if (t.tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		printf("\033[?25h\n");
	}
	if (status) {
		char *s = text_terminal(t.status, strlen(t.status), 200, TEXT_BARE);
		fprintf(stderr, "rdpshare ctl top: %s\n", s ? s : "the sharer is gone");
		free(s);
	}
	json_object_put(t.att_root);
	json_object_put(t.req_root);
	fflush(stdout);
	return status;
}
