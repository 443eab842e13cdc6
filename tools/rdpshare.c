/* rdpshare — the sharer command line. Creates one sharing session, prints
 * the invitation and how to join, reports who comes and goes, and takes
 * commands on a control socket (`rdpshare ctl`). */
#include <errno.h>
#include <malloc.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "tool.h"
#include "util/clock.h"
#include "util/dirs.h"
#include "util/hostport.h"

#define MAX_LISTEN 16

struct opts {
	const char *display;
	bool demo;
	int backend; /* enum rdpshare_backend */
	bool backend_given;
	const char *listen[MAX_LISTEN + 1];
	int n_listen;
	const char *password;
	const char *password_file;
	bool no_password;
	int limit;
	const char *group;
	bool have_rect;
	int rx, ry, rw, rh;
	int color_depth;
	const char *invitation_file;
	bool json;
	int level;
	enum { ON_REQUEST_ASK, ON_REQUEST_GRANT, ON_REQUEST_DENY } on_request;
	const char *ctl_socket;
	const char *connect_to;
	const char *channels[8];
	int n_channels;
	const char *config_dir;
	const char *apps[16];
	int n_apps;
	int verbose; /* -v count: FreeRDP's log level */
};

static bool json_mode;
static int on_request_policy;
static bool prompt_tty; /* --on-request ask with a terminal on stdin */

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: rdpshare [--backend auto|x11|wlroots|gnome|demo] [--display NAME | --demo]\n"
	    "                [--listen ADDR:PORT]... [--password PW | --password-file F]\n"
	    "                [--no-password] [--limit N] [--group NAME] [--rect X,Y,W,H]\n"
	    "                [--color-depth N] [--invitation-file FILE] [--level none|view]\n"
	    "                [--json] [--on-request ask|grant|deny] [--connect-to STRING]\n"
	    "                [--app NAME|PID]... [--ctl-socket PATH] [--config-dir DIR]\n"
	    "                [-v|--verbose]...\n"
	    "       rdpshare ctl [--socket PATH] COMMAND [ARGS...]\n"
	    "\n"
	    "Shares this desktop with RDP viewers: GNOME (Mutter), sway and other wlroots\n"
	    "compositors, or X11 ($DISPLAY); with --demo, or when there is no desktop at all,\n"
	    "a built-in animated demo desktop.\n"
	    "\n"
	    "  --backend B            auto (default): GNOME if Mutter's remote desktop is on\n"
	    "                         the session bus, else wlroots if $WAYLAND_DISPLAY has\n"
	    "                         wlr-screencopy, else X11 if $DISPLAY is set, else the\n"
	    "                         demo; a Wayland session none of these serves is an\n"
	    "                         error (the XWayland root is never shared instead)\n"
	    "  --display NAME         the X display (:N) or Wayland socket to share\n"
	    "  --listen ADDR:PORT     listen there (repeatable; default every address, a\n"
	    "                         free port; port 0 picks a free one)\n"
	    "  --password PW          the invitation password (default: generated, printed)\n"
	    "  --password-file F      the password is F's first line; when F does not exist a\n"
	    "                         generated one is written there (mode 0600) and not\n"
	    "                         printed; F must be yours alone\n"
	    "  --no-password          an invitation without a password: only the invitation\n"
	    "                         file (its ticket) lets a viewer in, so whoever gets\n"
	    "                         the file can join; plain /p: logons are refused\n"
	    "  --limit N              at most N viewers at once through the invitation (10)\n"
	    "  --group NAME           the invitation's group name\n"
	    "  --rect X,Y,W,H         share only this rectangle of the desktop\n"
	    "  --app NAME|PID         share only this application's windows (repeatable;\n"
	    "                         its process name or id; the rest is background)\n"
	    "  --color-depth N        15, 16, 24 or 32 bits per pixel (32; 8 gives 16)\n"
	    "  --invitation-file F    where to write the invitation file for xfreerdp\n"
	    "                         (must end in .msrcIncident; default next to the\n"
	    "                         control socket, removed when the sharer exits)\n"
	    "  --level none|view      what new viewers may do at first (view)\n"
	    "  --on-request ask|grant|deny\n"
	    "                         a viewer asks for control: ask (terminal prompt\n"
	    "                         and ctl grant|deny REQUEST; default), grant or deny\n"
	    "  --json                 one JSON object per line instead of text\n"
	    "  --channel NAME         a virtual channel for viewers (repeatable; access is\n"
	    "                         given with ctl channel-access)\n"
	    "  --connect-to STRING    dial a viewer that listens (rdpview --listen prints\n"
	    "                         its connection string); it logs on as usual\n"
	    "  --ctl-socket PATH      control socket (default $XDG_RUNTIME_DIR/rdpshare/ctl.sock,\n"
	    "                         without it ${TMPDIR:-/tmp}/rdpshare-UID/ctl.sock; the\n"
	    "                         default's directory must be yours alone, mode 0700)\n"
	    "  --config-dir DIR       where the TLS certificate is kept (~/.config/rdpshare)\n"
	    "  -v, --verbose          show FreeRDP's own log on stderr (repeatable: -v\n"
	    "                         warnings, -vv each connection's steps, -vvv debug,\n"
	    "                         -vvvv everything; RDPSHARE_LOG=warn|info|debug|trace\n"
	    "                         in the environment does the same)\n"
	    "\n"
	    "ctl [--json] COMMAND: tables for people, the sharer's JSON with --json; exit 0\n"
	    "  done, 1 refused or failed, 2 a wrong command. ctl top: live attendees and\n"
	    "  requests (y/n answer the request on top, k kicks, q quits).\n"
	    "ctl commands: attendees, invitations, kick ID, level ID none|view|interactive,\n"
	    "  pause, resume, rect X,Y,W,H, invite [--password PW | --no-password]\n"
	    "  [--limit N] [--group G],\n"
	    "  revoke INVITATION, limit INVITATION N, properties, set NAME VALUE,\n"
	    "  color-depth N, requests, grant REQ, deny REQ, apps, share [app:|window:]ID on|off,\n"
	    "  filter on|off, show WINDOW_ID, snapshot FILE.png, channel-access NAME ID\n"
	    "  none|sendreceive, channel-send NAME ID|all TEXT, top, quit\n");
}

static void die(const char *what, int r)
{
	if (json_mode) {
		struct sbuf b = {0};
		sb_printf(&b, "{\"event\":\"error\",\"message\":");
		char msg[512];
		snprintf(msg, sizeof(msg), "%s: %s", what, rdpshare_strerror(r));
		sb_json_str(&b, msg);
		sb_printf(&b, "}\n");
		fputs(b.p ? b.p : "", stdout);
		sb_free(&b);
	}
	fprintf(stderr, "rdpshare: %s: %s\n", what, rdpshare_strerror(r));
	exit(1);
}

static void emit(struct sbuf *b)
{
	tool_emit(b);
}

/* ---- events ---- */

static void on_connected(rdpshare_session *s, rdpshare_attendee *a, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	const char *level = rdpshare_ctrl_level_name(rdpshare_attendee_get_control_level(a));
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"attendee_connected\",\"id\":%d,\"name\":",
		          rdpshare_attendee_id(a));
		sb_json_str(&b, rdpshare_attendee_remote_name(a));
		sb_printf(&b, ",\"address\":\"%s:%d\",\"level\":\"%s\",\"group\":",
		          rdpshare_attendee_peer_ip(a), rdpshare_attendee_peer_port(a), level);
		sb_json_str(&b, rdpshare_invitation_group(rdpshare_attendee_invitation(a)));
		sb_printf(&b, "}");
	} else {
		sb_printf(&b, "attendee-connected id=%d name=", rdpshare_attendee_id(a));
		sb_name(&b, rdpshare_attendee_remote_name(a), TEXT_NAME_MAX);
		sb_printf(&b, " address=%s:%d level=%s", rdpshare_attendee_peer_ip(a),
		          rdpshare_attendee_peer_port(a), level);
	}
	emit(&b);
}

static void on_disconnected(rdpshare_session *s, rdpshare_attendee *a,
                            enum rdpshare_disconnect_reason reason, int code, void *ud)
{
	(void)s;
	(void)ud;
	requests_forget(rdpshare_attendee_id(a));
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"attendee_disconnected\",\"id\":%d,\"name\":",
		          rdpshare_attendee_id(a));
		sb_json_str(&b, rdpshare_attendee_remote_name(a));
		sb_printf(&b, ",\"reason\":\"%s\",\"code\":%d}",
		          rdpshare_disconnect_reason_name(reason), code);
	} else {
		sb_printf(&b, "attendee-disconnected id=%d name=", rdpshare_attendee_id(a));
		sb_name(&b, rdpshare_attendee_remote_name(a), TEXT_NAME_MAX);
		sb_printf(&b, " reason=%s code=%d", rdpshare_disconnect_reason_name(reason), code);
	}
	emit(&b);
}

static void on_update(rdpshare_session *s, rdpshare_attendee *a, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	const char *level = rdpshare_ctrl_level_name(rdpshare_attendee_get_control_level(a));
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"attendee_update\",\"id\":%d,\"level\":\"%s\"}",
		          rdpshare_attendee_id(a), level);
	} else {
		sb_printf(&b, "attendee-update id=%d level=%s", rdpshare_attendee_id(a), level);
	}
	emit(&b);
}

/* The request the y/n prompt asks about (0: none) and when that question
 * appeared: a line typed answers exactly it, and a line that comes within
 * PROMPT_SETTLE_MS of a new question is not taken as its answer (it was
 * probably typed for the one before: a viewer that swaps a VIEW request for
 * INTERACTIVE just as the sharer types y gets a fresh question, not
 * control). */
#define PROMPT_SETTLE_MS 1000
static long prompted;
static int64_t prompted_at;

static void prompt(rdpshare_session *s, long request)
{
	enum rdpshare_ctrl_level level;
	rdpshare_attendee *a = requests_find(s, request, &level);
	prompted = a ? request : 0;
	if (!a) {
		return;
	}
	prompted_at = util_clock_ms();
	const char *name = rdpshare_attendee_remote_name(a);
	char *who =
	    text_terminal(name, name ? strlen(name) : 0, TEXT_NAME_MAX, TEXT_QUOTE_IF_NEEDED);
	fprintf(stderr,
	        "%s (id %d) asks for %s (request %ld): allow %s? [y/n] (or rdpshare ctl "
	        "grant|deny %ld)\n",
	        who ? who : "?", rdpshare_attendee_id(a), rdpshare_ctrl_level_name(level), request,
	        rdpshare_ctrl_level_name(level), request);
	free(who);
}

/* A viewer asks for a level: the policy answers, or the request waits for
 * the terminal (y/n) or `rdpshare ctl grant|deny REQUEST`. Each request has
 * its own id and level; one for another level withdraws the older. */
static void on_request(rdpshare_session *s, rdpshare_attendee *a, enum rdpshare_ctrl_level level,
                       void *ud)
{
	(void)ud;
	int id = rdpshare_attendee_id(a);
	long req = rdpshare_attendee_get_control_request(a, NULL);
	const char *lname = rdpshare_ctrl_level_name(level);
	const char *policy = on_request_policy == ON_REQUEST_GRANT  ? "grant"
	                     : on_request_policy == ON_REQUEST_DENY ? "deny"
	                                                            : "ask";
	long older = requests_shown(id, req, level);
	struct sbuf b = {0};
	if (older && json_mode) {
		sb_printf(&b,
		          "{\"event\":\"control_request_withdrawn\",\"request\":%ld,\"id\":%d,"
		          "\"by\":%ld}",
		          older, id, req);
		emit(&b);
	} else if (older) {
		sb_printf(&b, "control-request-withdrawn request=%ld id=%d by=%ld", older, id, req);
		emit(&b);
	}
	b = (struct sbuf){0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"control_request\",\"id\":%d,\"name\":", id);
		sb_json_str(&b, rdpshare_attendee_remote_name(a));
		sb_printf(&b, ",\"level\":\"%s\",\"policy\":\"%s\",\"request\":%ld}", lname, policy,
		          req);
	} else {
		sb_printf(&b, "control-request id=%d name=", id);
		sb_name(&b, rdpshare_attendee_remote_name(a), TEXT_NAME_MAX);
		sb_printf(&b, " level=%s policy=%s request=%ld", lname, policy, req);
	}
	emit(&b);
	if (on_request_policy != ON_REQUEST_ASK) {
		char why[160];
		if (requests_answer(s, req, on_request_policy == ON_REQUEST_GRANT, why,
		                    sizeof(why)) != RDPSHARE_OK) {
			fprintf(stderr, "rdpshare: answering request %ld: %s\n", req, why);
		}
	} else if (prompt_tty) {
		/* The question on screen stays until it is answered or withdrawn:
		 * newer requests wait their turn (oldest first), so no viewer can
		 * keep replacing it and hide the others' or make it unanswerable. */
		if (older && older == prompted) {
			fprintf(stderr, "rdpshare: request %ld withdrawn: a new question follows\n",
			        older);
			prompted = 0;
		}
		if (!prompted || !requests_find(s, prompted, NULL)) {
			prompt(s, requests_oldest(s));
		}
	}
}

/* A line typed at the prompt answers the request the prompt showed. */
static void read_answer(rdpshare_session *s)
{
	char line[64];
	if (!fgets(line, sizeof(line), stdin)) {
		prompt_tty = false; /* end of input: answers come through ctl only */
		return;
	}
	if (!prompted || !requests_find(s, prompted, NULL)) {
		prompt(s, requests_oldest(s)); /* the question went away: ask the next */
		return;
	}
	if (util_clock_ms() - prompted_at < PROMPT_SETTLE_MS) {
		fprintf(stderr, "rdpshare: the question just changed; answer it again\n");
		prompt(s, prompted);
		return;
	}
	bool yes = line[0] == 'y' || line[0] == 'Y';
	char why[160];
	if (requests_answer(s, prompted, yes, why, sizeof(why)) != RDPSHARE_OK) {
		fprintf(stderr, "rdpshare: answering request %ld: %s\n", prompted, why);
	}
	prompt(s, requests_oldest(s));
}

static void on_refused(rdpshare_session *s, enum rdpshare_refusal why, const char *name,
                       const char *address, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"attendee_refused\",\"reason\":\"%s\",\"name\":",
		          rdpshare_refusal_name(why));
		sb_json_str(&b, name);
		sb_printf(&b, ",\"address\":");
		sb_json_str(&b, address);
		sb_printf(&b, "}");
	} else {
		sb_printf(&b, "attendee-refused reason=%s name=", rdpshare_refusal_name(why));
		sb_name(&b, name, TEXT_NAME_MAX);
		sb_printf(&b, " address=");
		sb_name(&b, address, TEXT_NAME_MAX);
	}
	emit(&b);
}

static void on_throttled(rdpshare_session *s, const char *address, int seconds, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"auth_throttled\",\"address\":");
		if (address) {
			sb_json_str(&b, address);
		} else {
			sb_printf(&b, "null");
		}
		sb_printf(&b, ",\"seconds\":%d}", seconds);
	} else {
		sb_printf(&b, "auth-throttled address=%s seconds=%d", address ? address : "all",
		          seconds);
	}
	emit(&b);
}

static void on_paused(rdpshare_session *s, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	sb_printf(&b, json_mode ? "{\"event\":\"graphics_stream_paused\"}" : "graphics-paused");
	emit(&b);
}

static void on_resumed(rdpshare_session *s, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	sb_printf(&b, json_mode ? "{\"event\":\"graphics_stream_resumed\"}" : "graphics-resumed");
	emit(&b);
}

static void on_rect(rdpshare_session *s, int l, int t, int r, int bottom, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b,
		          "{\"event\":\"shared_rect_changed\",\"x\":%d,\"y\":%d,\"width\":%d,"
		          "\"height\":%d}",
		          l, t, r - l, bottom - t);
	} else {
		sb_printf(&b, "shared-rect %d,%d,%d,%d", l, t, r - l, bottom - t);
	}
	emit(&b);
}

static bool fatal;

static void on_error(rdpshare_session *s, int result, const char *message, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"error\",\"code\":%d,\"message\":", result);
		sb_json_str(&b, message);
		sb_printf(&b, "}");
	} else {
		sb_printf(&b, "error: ");
		sb_message(&b, message);
		sb_printf(&b, " (%s)", rdpshare_strerror(result));
	}
	emit(&b);
	fatal = true;
}

/* One line per channel event; data as text with JSON escapes. */
static void channel_event(const char *what, rdpshare_channel *ch, rdpshare_attendee *a,
                          const void *data, size_t len)
{
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"channel_%s\",\"channel\":", what);
		sb_json_str(&b, rdpshare_channel_name(ch));
		sb_printf(&b, ",\"id\":%d", rdpshare_attendee_id(a));
		if (data) {
			sb_printf(&b, ",\"data\":");
			sb_json_bytes(&b, data, len);
		} else if (len) {
			sb_printf(&b, ",\"bytes\":%zu", len);
		}
		sb_printf(&b, "}");
	} else {
		sb_printf(&b, "channel-%s channel=%s id=%d", what, rdpshare_channel_name(ch),
		          rdpshare_attendee_id(a));
		if (data) {
			sb_printf(&b, " data=");
			sb_text(&b, data, len, TEXT_LINE_MAX);
		} else if (len) {
			sb_printf(&b, " bytes=%zu", len);
		}
	}
	emit(&b);
}

static void on_channel_joined(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                              void *ud)
{
	(void)s;
	(void)ud;
	channel_event("joined", ch, a, NULL, 0);
}

static void on_channel_left(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                            void *ud)
{
	(void)s;
	(void)ud;
	channel_event("left", ch, a, NULL, 0);
}

static void on_channel_data(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                            const void *data, size_t len, void *ud)
{
	(void)s;
	(void)ud;
	channel_event("data", ch, a, data, len);
}

static void on_channel_sent(rdpshare_session *s, rdpshare_channel *ch, rdpshare_attendee *a,
                            size_t len, void *ud)
{
	(void)s;
	(void)ud;
	channel_event("sent", ch, a, NULL, len);
}

static void on_connection_failed(rdpshare_session *s, const char *message, void *ud)
{
	(void)s;
	(void)ud;
	struct sbuf b = {0};
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"connection_failed\",\"message\":");
		sb_json_str(&b, message);
		sb_printf(&b, "}");
	} else {
		sb_printf(&b, "connection-failed ");
		sb_message(&b, message);
	}
	emit(&b);
}

/* ---- options ---- */

static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum {
		O_DISPLAY = 1000,
		O_DEMO,
		O_LISTEN,
		O_PASSWORD,
		O_NO_PASSWORD,
		O_PASSWORD_FILE,
		O_LIMIT,
		O_GROUP,
		O_RECT,
		O_DEPTH,
		O_INVFILE,
		O_JSON,
		O_LEVEL,
		O_ON_REQUEST,
		O_CONNECT_TO,
		O_CHANNEL,
		O_CTL,
		O_CONFIG,
		O_APP,
		O_BACKEND,
		O_HELP,
		O_VERBOSE = 'v' /* also its short form */
	};
	static const struct option longopts[] = {
	    {"display", required_argument, NULL, O_DISPLAY},
	    {"demo", no_argument, NULL, O_DEMO},
	    {"backend", required_argument, NULL, O_BACKEND},
	    {"listen", required_argument, NULL, O_LISTEN},
	    {"password", required_argument, NULL, O_PASSWORD},
	    {"no-password", no_argument, NULL, O_NO_PASSWORD},
	    {"password-file", required_argument, NULL, O_PASSWORD_FILE},
	    {"limit", required_argument, NULL, O_LIMIT},
	    {"group", required_argument, NULL, O_GROUP},
	    {"rect", required_argument, NULL, O_RECT},
	    {"color-depth", required_argument, NULL, O_DEPTH},
	    {"invitation-file", required_argument, NULL, O_INVFILE},
	    {"json", no_argument, NULL, O_JSON},
	    {"on-request", required_argument, NULL, O_ON_REQUEST},
	    {"connect-to", required_argument, NULL, O_CONNECT_TO},
	    {"channel", required_argument, NULL, O_CHANNEL},
	    {"level", required_argument, NULL, O_LEVEL},
	    {"ctl-socket", required_argument, NULL, O_CTL},
	    {"config-dir", required_argument, NULL, O_CONFIG},
	    {"app", required_argument, NULL, O_APP},
	    {"verbose", no_argument, NULL, O_VERBOSE},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	o->limit = 10;
	o->color_depth = 32;
	o->level = RDPSHARE_CTRL_LEVEL_VIEW;
	int c;
	int rect[4];
	while ((c = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (c) {
		case O_VERBOSE:
			o->verbose++;
			break;
		case O_DISPLAY:
			o->display = optarg;
			break;
		case O_DEMO:
			o->demo = true;
			break;
		case O_BACKEND: {
			int b = RDPSHARE_BACKEND_AUTO;
			while (rdpshare_backend_name(b) &&
			       strcmp(rdpshare_backend_name(b), optarg)) {
				b++;
			}
			if (!rdpshare_backend_name(b)) {
				fprintf(stderr,
				        "rdpshare: --backend wants auto, x11, wlroots, gnome or "
				        "demo\n");
				return 2;
			}
			o->backend = b;
			o->backend_given = true;
			break;
		}
		case O_LISTEN:
			if (o->n_listen >= MAX_LISTEN) {
				fprintf(stderr, "rdpshare: at most %d --listen\n", MAX_LISTEN);
				return 2;
			}
			char host[256];
			int port;
			if (hostport_split(optarg, host, sizeof(host), &port) != 0) {
				fprintf(stderr, "rdpshare: --listen wants ADDR, ADDR:PORT or "
				                "[IPV6]:PORT with a port from 0 to 65535\n");
				return 2;
			}
			o->listen[o->n_listen++] = optarg;
			break;
		case O_PASSWORD:
			o->password = optarg;
			break;
		case O_NO_PASSWORD:
			o->no_password = true;
			break;
		case O_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case O_LIMIT:
			if (!tool_parse_ints(optarg, &o->limit, 1) || o->limit < 0) {
				fprintf(stderr, "rdpshare: --limit wants a number >= 0\n");
				return 2;
			}
			break;
		case O_GROUP:
			o->group = optarg;
			break;
		case O_RECT:
			if (!tool_parse_ints(optarg, rect, 4) || rect[2] <= 0 || rect[3] <= 0 ||
			    rect[0] > INT_MAX - rect[2] || rect[1] > INT_MAX - rect[3]) {
				fprintf(stderr, "rdpshare: --rect wants X,Y,WIDTH,HEIGHT\n");
				return 2;
			}
			o->rx = rect[0];
			o->ry = rect[1];
			o->rw = rect[2];
			o->rh = rect[3];
			o->have_rect = true;
			break;
		case O_DEPTH:
			if (!tool_parse_ints(optarg, &o->color_depth, 1) ||
			    (o->color_depth != 8 && o->color_depth != 15 && o->color_depth != 16 &&
			     o->color_depth != 24 && o->color_depth != 32)) {
				fprintf(stderr, "rdpshare: --color-depth wants 15, 16, 24 or 32 (8 "
				                "is served as 16)\n");
				return 2;
			}
			break;
		case O_INVFILE:
			/* xfreerdp treats its first argument as an invitation only
			 * when the name ends in .msrcIncident (any case). */
			if (strlen(optarg) <= 13 ||
			    strcasecmp(optarg + strlen(optarg) - 13, ".msrcIncident") != 0) {
				fprintf(stderr, "rdpshare: --invitation-file must end in "
				                ".msrcIncident (xfreerdp reads no other name)\n");
				return 2;
			}
			o->invitation_file = optarg;
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_LEVEL:
			if (strcmp(optarg, "none") == 0) {
				o->level = RDPSHARE_CTRL_LEVEL_NONE;
			} else if (strcmp(optarg, "view") == 0) {
				o->level = RDPSHARE_CTRL_LEVEL_VIEW;
			} else {
				fprintf(stderr,
				        "rdpshare: --level is none or view (control is given "
				        "per viewer, never to everyone)\n");
				return 2;
			}
			break;
		case O_ON_REQUEST:
			if (strcmp(optarg, "ask") == 0) {
				o->on_request = ON_REQUEST_ASK;
			} else if (strcmp(optarg, "grant") == 0) {
				o->on_request = ON_REQUEST_GRANT;
			} else if (strcmp(optarg, "deny") == 0) {
				o->on_request = ON_REQUEST_DENY;
			} else {
				fprintf(stderr, "rdpshare: --on-request is ask, grant or deny\n");
				return 2;
			}
			break;
		case O_CONNECT_TO:
			o->connect_to = optarg;
			break;
		case O_CHANNEL:
			if (o->n_channels == 8) {
				fprintf(stderr, "rdpshare: at most 8 --channel\n");
				return 2;
			}
			o->channels[o->n_channels++] = optarg;
			break;
		case O_CTL:
			o->ctl_socket = optarg;
			break;
		case O_CONFIG:
			o->config_dir = optarg;
			break;
		case O_APP:
			if (o->n_apps == 16) {
				fprintf(stderr, "rdpshare: at most 16 --app\n");
				return 2;
			}
			o->apps[o->n_apps++] = optarg;
			break;
		case O_HELP:
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rdpshare: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o->demo && o->display) {
		fprintf(stderr, "rdpshare: --demo and --display exclude each other\n");
		return 2;
	}
	if (o->demo && o->backend_given && o->backend != RDPSHARE_BACKEND_DEMO) {
		fprintf(stderr, "rdpshare: --demo and --backend %s exclude each other\n",
		        rdpshare_backend_name(o->backend));
		return 2;
	}
	if (o->demo) {
		o->backend = RDPSHARE_BACKEND_DEMO;
	}
	if (o->display && o->backend == RDPSHARE_BACKEND_DEMO) {
		fprintf(stderr, "rdpshare: the demo desktop takes no --display\n");
		return 2;
	}
	/* Without a password the invitation file alone lets anyone in: that
	 * takes saying so, never an empty string that may come from a script's
	 * unset variable. */
	if ((o->no_password + !!o->password + !!o->password_file) > 1) {
		fprintf(stderr, "rdpshare: --password, --password-file and --no-password exclude "
		                "each other\n");
		return 2;
	}
	if (o->password_file && !*o->password_file) {
		fprintf(stderr, "rdpshare: --password-file needs a file name\n");
		return 2;
	}
	if (o->password && !*o->password) {
		fprintf(stderr, "rdpshare: --password is empty; an invitation without a password "
		                "lets whoever gets the invitation file join: say --no-password "
		                "if that is what you want\n");
		return 2;
	}
	return 0;
}

/* The library's directories, when they are why it refused: the runtime
 * directory that is not private (util/dirs.h), or no home for the key. */
static void explain_dirs(const struct opts *o, int r, char *what, size_t size)
{
	if (r == RDPSHARE_E_TLS && !o->config_dir) {
		snprintf(what, size,
		         "no directory for the TLS certificate and key (no home "
		         "directory): set HOME or XDG_CONFIG_HOME, or give --config-dir");
	} else if (r == RDPSHARE_E_ACCESS) {
		char *dir =
		    dirs_runtime(getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), (unsigned)getuid());
		char why[128];
		if (dir && dirs_check_private(dir, why, sizeof(why)) < 0) {
			snprintf(
			    what, size,
			    "the runtime directory %s %s (it must be yours alone, mode "
			    "0700: remove it, or choose another with XDG_RUNTIME_DIR or TMPDIR)",
			    dir, why);
		}
		free(dir);
	}
}

static rdpshare_session *create_session(const struct opts *o, const struct rdpshare_callbacks *cb)
{
	struct rdpshare_config cfg = {.size = sizeof(struct rdpshare_config)};
	cfg.listen = o->n_listen ? o->listen : NULL;
	cfg.config_dir = o->config_dir;
	cfg.display = o->display;
	cfg.backend = (enum rdpshare_backend)o->backend;
	rdpshare_session *s = NULL;
	enum rdpshare_backend chosen = RDPSHARE_BACKEND_AUTO;
	char *why = NULL;
	int r = rdpshare_backend_check(&cfg, &chosen, &why);
	if (r == RDPSHARE_OK) {
		cfg.backend = chosen;
		r = rdpshare_session_create(&cfg, cb, NULL, &s);
	}
	if (r == RDPSHARE_E_DISPLAY && chosen == RDPSHARE_BACKEND_X11 && !o->display &&
	    !o->backend_given && !getenv("WAYLAND_DISPLAY")) {
		/* $DISPLAY is stale (common over ssh): share the demo rather than
		 * fail, and say so. An explicit --display or --backend is never
		 * swapped. */
		fprintf(stderr, "rdpshare: cannot open display %s; sharing the demo desktop\n",
		        getenv("DISPLAY"));
		free(why);
		why = NULL;
		cfg.backend = chosen = RDPSHARE_BACKEND_DEMO;
		r = rdpshare_session_create(&cfg, cb, NULL, &s);
	}
	if (r != RDPSHARE_OK) {
		char what[PATH_MAX + 800];
		if (!why && r == RDPSHARE_E_DISPLAY) {
			/* it went away between the check and the open: ask again */
			enum rdpshare_backend again;
			rdpshare_backend_check(&cfg, &again, &why);
		}
		if (why) {
			snprintf(what, sizeof(what), "cannot share the desktop: %s", why);
		} else {
			snprintf(what, sizeof(what), "cannot share the %s desktop",
			         rdpshare_backend_name(chosen));
		}
		free(why);
		explain_dirs(o, r, what, sizeof(what));
		die(what, r);
	}
	free(why);
	return s;
}

static void print_invitation(rdpshare_session *s, rdpshare_invitation *inv, const char *generated,
                             const char *password_file, const char *ctl_path, const char *inv_path)
{
	const char *addrs[32];
	int n = rdpshare_session_listen_addresses(s, addrs, 32);
	char *cs = NULL;
	int r = rdpshare_invitation_get_connection_string(inv, &cs);
	if (r != RDPSHARE_OK) {
		die("cannot build the connection string", r);
	}
	/* without a password only the invitation file's (ticket) logon is let in */
	bool no_pw = !*rdpshare_invitation_password(inv);
	const char *pw_shown = generated ? generated : no_pw ? "" : "<your password>";
	struct sbuf b = {0};
	const char *backend = rdpshare_backend_name(rdpshare_session_get_backend(s));
	if (json_mode) {
		sb_printf(&b, "{\"event\":\"desktop\",\"backend\":\"%s\"}\n", backend);
		for (int i = 0; i < n; i++) {
			sb_printf(&b, "{\"event\":\"listening\",\"address\":");
			sb_json_str(&b, addrs[i]);
			sb_printf(&b, "}\n");
		}
		sb_printf(&b, "{\"event\":\"invitation\",\"auth_string\":");
		sb_json_str(&b, rdpshare_invitation_auth_string(inv));
		sb_printf(&b, ",\"connection_string\":");
		sb_json_str(&b, cs);
		if (generated) {
			sb_printf(&b, ",\"password\":");
			sb_json_str(&b, generated);
		}
		if (password_file) {
			sb_printf(&b, ",\"password_file\":");
			sb_json_str(&b, password_file);
		}
		sb_printf(&b, ",\"file\":");
		sb_json_str(&b, inv_path);
		sb_printf(&b, ",\"control_socket\":");
		sb_json_str(&b, ctl_path);
		sb_printf(&b, "}\n{\"event\":\"ready\"}");
	} else {
		sb_printf(&b, "desktop: %s\n", backend);
		for (int i = 0; i < n; i++) {
			sb_printf(&b, "listening: %s\n", addrs[i]);
		}
		sb_printf(&b, "connection-string: %s\n", cs);
		if (generated) {
			sb_printf(&b, "password: %s\n", generated);
		}
		if (password_file) {
			sb_printf(&b, "password-file: %s\n", password_file);
		}
		sb_printf(&b, "invitation-file: %s\n", inv_path);
		/* The lines pin the certificate: /cert:tofu would trust whoever
		 * answers first. With deny, a wrong one is refused, not asked
		 * about. The fingerprint exists once the session is open. */
		const char *fp = rdpshare_session_get_certificate_fingerprint(s);
		if (n > 0 && !no_pw) {
			sb_printf(&b,
			          "join: xfreerdp3 /v:%s /u:YOUR_NAME /p:%s "
			          "/cert:deny,fingerprint:sha256:%s\n",
			          addrs[0], pw_shown, fp ? fp : "");
		}
		/* FreeRDP's clients (3.x as 2.x) read an invitation file only as
		 * their first argument, named *.msrcIncident. FreeRDP 3 asks for a
		 * password on the terminal unless /p: is given, though it sends "*"
		 * in assistance mode whatever it is. */
		sb_printf(&b,
		          "join: xfreerdp3 %s /assistance:%s /u:YOUR_NAME /p: "
		          "/cert:deny,fingerprint:sha256:%s\n",
		          inv_path, pw_shown, fp ? fp : "");
		sb_printf(&b, "control: rdpshare ctl --socket %s attendees\n", ctl_path);
		sb_printf(&b, "ready");
	}
	emit(&b);
	free(cs);
}

/* The default invitation file sits beside the control socket, in the private
 * runtime directory. Ownership: malloc'd, caller frees. */
static char *inv_default_path(const char *ctl_path)
{
	const char *slash = strrchr(ctl_path, '/');
	int dir_len = slash ? (int)(slash - ctl_path) : 1;
	const char *dir = slash ? ctl_path : ".";
	char *p = NULL;
	return asprintf(&p, "%.*s/invitation.msrcIncident", dir_len, dir) < 0 ? NULL : p;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ctl") == 0) {
		return ctl_client_main(argc - 2, argv + 2);
	}
	struct opts o = {0};
	int r = parse_opts(argc, argv, &o);
	if (r) {
		return r;
	}
	json_mode = o.json;
	rdpshare_set_log_level(o.verbose > RDPSHARE_LOG_TRACE ? RDPSHARE_LOG_TRACE
	                                                      : (enum rdpshare_log_level)o.verbose);
	on_request_policy = (int)o.on_request;
	prompt_tty = o.on_request == ON_REQUEST_ASK && isatty(STDIN_FILENO);
	signal(SIGPIPE, SIG_IGN);
	/* FreeRDP gives every connection, before any logon, ~6.5 MB of bulk
	 * compression contexts. glibc's sliding mmap threshold would soon
	 * serve those from its heaps, which keep them after the connection
	 * ends: a flood of port probes would raise the sharer's memory for
	 * good. A fixed threshold sends them back to the kernel on free. */
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	/* Blocked from the start: a signal during set-up waits for the loop,
	 * which closes the session cleanly. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);

	struct rdpshare_callbacks cb = {
	    .size = sizeof(struct rdpshare_callbacks),
	    .attendee_connected = on_connected,
	    .attendee_disconnected = on_disconnected,
	    .attendee_update = on_update,
	    .attendee_refused = on_refused,
	    .auth_throttled = on_throttled,
	    .control_level_change_request = on_request,
	    .graphics_stream_paused = on_paused,
	    .graphics_stream_resumed = on_resumed,
	    .shared_rect_changed = on_rect,
	    .error = on_error,
	    .connection_failed = on_connection_failed,
	    .channel_joined = on_channel_joined,
	    .channel_left = on_channel_left,
	    .channel_data = on_channel_data,
	    .channel_send_completed = on_channel_sent,
	};
	apps_init(o.json, o.apps, o.n_apps);
	apps_callbacks(&cb);
	rdpshare_session *s = create_session(&o, &cb);
	const char *no_windows = NULL;
	if (o.n_apps > 0 && !rdpshare_session_has_window_list(s, &no_windows)) {
		char what[512];
		snprintf(what, sizeof(what), "--app: %s", no_windows);
		die(what, RDPSHARE_E_UNSUPPORTED);
	}
	if (o.n_apps > 0 && (r = rdpshare_session_set_filter_enabled(s, true)) != RDPSHARE_OK) {
		die("--app", r);
	}
	if ((r = rdpshare_session_set_color_depth(s, o.color_depth)) != RDPSHARE_OK) {
		die("--color-depth", r);
	}
	if ((r = rdpshare_session_set_property(s, "DefaultAttendeeControlLevel", o.level)) !=
	    RDPSHARE_OK) {
		die("--level", r);
	}
	if (o.have_rect && (r = rdpshare_session_set_shared_rect(s, o.rx, o.ry, o.rx + o.rw,
	                                                         o.ry + o.rh)) != RDPSHARE_OK) {
		die("--rect (it must lie inside the desktop)", r);
	}
	for (int i = 0; i < o.n_channels; i++) {
		rdpshare_channel *ch;
		if ((r = rdpshare_session_create_channel(
		         s, o.channels[i], RDPSHARE_CHANNEL_PRIORITY_MED, 0, &ch)) != RDPSHARE_OK) {
			die("--channel (1 to 7 printable characters, each name once)", r);
		}
	}
	char *from_file = NULL;
	if (o.password_file) {
		char why[160];
		if (!(from_file = tool_password_file(o.password_file, why, sizeof(why)))) {
			char what[PATH_MAX + 200];
			snprintf(what, sizeof(what), "--password-file %s %s", o.password_file, why);
			die(what, RDPSHARE_E_INVALIDARG);
		}
		o.password = from_file;
	}
	char *generated = o.password || o.no_password ? NULL : tool_generate_password();
	if (!o.password && !o.no_password && !generated) {
		die("cannot make up a password", RDPSHARE_E_NOMEM); /* never none by accident */
	}
	if (o.no_password) {
		fprintf(stderr, "rdpshare: warning: the invitation has no password: whoever gets "
		                "the invitation file or connection string can join\n");
	}
	rdpshare_invitation *inv = NULL;
	r = rdpshare_session_create_invitation(s, NULL, o.group,
	                                       o.password ? o.password : generated, o.limit, &inv);
	if (r != RDPSHARE_OK) {
		die("cannot create the invitation", r);
	}
	char *ctl_path = o.ctl_socket ? strdup(o.ctl_socket) : ctl_default_path();
	char why[128];
	/* the default socket's directory also holds the invitation file: it
	 * must be ours alone (a path given with --ctl-socket is the user's
	 * choice) */
	if (ctl_path && !o.ctl_socket &&
	    (r = ctl_dir_private(ctl_path, true, why, sizeof(why))) < 0) {
		fprintf(stderr,
		        "rdpshare: the directory of the control socket %s %s (it must be yours "
		        "alone, mode 0700)\n",
		        ctl_path, why);
		rdpshare_session_destroy(s);
		free(ctl_path);
		return 1;
	}
	int ctl_fd = ctl_path ? ctl_listen(ctl_path) : -ENOMEM;
	if (ctl_fd < 0) {
		fprintf(stderr, "rdpshare: control socket %s: %s\n", ctl_path ? ctl_path : "",
		        strerror(-ctl_fd));
		rdpshare_session_destroy(s);
		free(ctl_path);
		return 1;
	}
	if ((r = rdpshare_session_open(s)) != RDPSHARE_OK) {
		unlink(ctl_path);
		if (r == RDPSHARE_E_TLS) {
			fprintf(stderr,
			        "rdpshare: the TLS certificate and key in %s cannot be used; "
			        "move them away and a new pair is made\n",
			        rdpshare_session_get_config_dir(s));
		}
		die("cannot start listening", r);
	}
	char *inv_path = o.invitation_file ? strdup(o.invitation_file) : inv_default_path(ctl_path);
	if (!inv_path || (r = rdpshare_invitation_write_file(inv, inv_path)) != RDPSHARE_OK) {
		rdpshare_session_destroy(s);
		unlink(ctl_path);
		char what[PATH_MAX + 64];
		snprintf(what, sizeof(what), "cannot write the invitation file %s",
		         inv_path ? inv_path : "");
		die(what, inv_path ? r : RDPSHARE_E_NOMEM);
	}
	print_invitation(s, inv, generated, o.password_file, ctl_path, inv_path);
	if (from_file) {
		explicit_bzero(from_file, strlen(from_file));
		free(from_file);
		o.password = NULL;
	}
	/* reverse connect: dial the viewer that listens (rdpview --listen) */
	if (o.connect_to &&
	    (r = rdpshare_session_connect_to_client(s, o.connect_to)) != RDPSHARE_OK) {
		rdpshare_session_destroy(s);
		unlink(ctl_path);
		if (!o.invitation_file) {
			unlink(inv_path);
		}
		die(r == RDPSHARE_E_INVALIDARG ? "--connect-to (not a connection string)"
		                               : "--connect-to",
		    r);
	}

	/* Under systemd (Type=notify, the user unit): started means listening,
	 * with the invitation file written. Without NOTIFY_SOCKET, nothing. */
	sd_notify(0, "READY=1");
	bool quit = false;
	while (!quit && !fatal) {
		struct pollfd pfd[4] = {{rdpshare_session_get_fd(s), POLLIN, 0},
		                        {ctl_fd, POLLIN, 0},
		                        {sfd, POLLIN, 0},
		                        {prompt_tty ? STDIN_FILENO : -1, POLLIN, 0}};
		if (poll(pfd, 4, rates_timeout_ms(s)) < 0 && errno != EINTR) {
			break;
		}
		rates_sample(s);
		if (pfd[3].revents & (POLLIN | POLLHUP)) {
			read_answer(s);
		}
		if (pfd[0].revents & POLLIN) {
			rdpshare_session_dispatch(s);
		}
		if (pfd[1].revents & POLLIN) {
			ctl_serve_one(ctl_fd, s, &quit);
		}
		if (pfd[2].revents & POLLIN) {
			quit = true;
		}
	}
	sd_notify(0, "STOPPING=1");
	rdpshare_session_close(s);
	struct sbuf b = {0};
	sb_printf(&b, json_mode ? "{\"event\":\"closed\"}" : "closed");
	emit(&b);
	rdpshare_session_destroy(s);
	close(ctl_fd);
	unlink(ctl_path);
	free(ctl_path);
	if (!o.invitation_file) {
		unlink(inv_path); /* ours: the invitation dies with the session */
	}
	free(inv_path);
	free(generated);
	return fatal ? 1 : 0;
}
