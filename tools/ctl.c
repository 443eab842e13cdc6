/* `rdpshare ctl`: a Unix socket that lets another terminal (or a script)
 * drive a running sharer. A request is the argument list, NUL-separated,
 * ended by closing the write side; the reply is one JSON object. Only the
 * sharer's own user can reach the socket (directory 0700, socket 0600). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tool.h"
#include "util/clock.h"

#define MAX_REQUEST 65536
#define MAX_ARGS 32
#define CTL_DEADLINE_MS 1000

static int make_parent(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		return 0;
	}
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		return -errno;
	}
	return 0;
}

int ctl_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path)) {
		return -ENAMETOOLONG;
	}
	int r = make_parent(path);
	if (r < 0) {
		return r;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1); /* length checked above */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		return -errno;
	}
	/* A socket left by a crashed sharer: the session lock already proved
	 * no other sharer lives in this login session, so it is stale. */
	unlink(path);
	mode_t old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(fd, 8) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static void attendee_json(struct sbuf *b, rdpshare_attendee *a)
{
	struct rdpshare_attendee_stats st = {.size = sizeof(st)};
	rdpshare_attendee_get_stats(a, &st);
	rdpshare_invitation *inv = rdpshare_attendee_invitation(a);
	sb_printf(b, "{\"id\":%d,\"name\":", rdpshare_attendee_id(a));
	sb_json_str(b, rdpshare_attendee_remote_name(a));
	sb_printf(b, ",\"address\":\"%s:%d\",\"level\":\"%s\",\"invitation\":",
	          rdpshare_attendee_peer_ip(a), rdpshare_attendee_peer_port(a),
	          rdpshare_ctrl_level_name(rdpshare_attendee_get_control_level(a)));
	sb_json_str(b, rdpshare_invitation_auth_string(inv));
	sb_printf(b, ",\"group\":");
	sb_json_str(b, rdpshare_invitation_group(inv));
	sb_printf(
	    b,
	    ",\"codec\":\"%s\",\"color_depth\":%d,\"frames_sent\":%llu,\"frames_skipped\":%llu,"
	    "\"bytes_sent\":%llu,\"input_dropped\":%llu,\"input_injected\":%llu,"
	    "\"channel_dropped\":%llu,\"latency_p50_us\":%u,\"latency_p95_us\":%u",
	    st.codec, st.color_depth, (unsigned long long)st.frames_sent,
	    (unsigned long long)st.frames_skipped, (unsigned long long)st.bytes_sent,
	    (unsigned long long)st.input_dropped, (unsigned long long)st.input_injected,
	    (unsigned long long)st.channel_dropped, st.latency_p50_us, st.latency_p95_us);
	double fps, kbps;
	if (rates_get(rdpshare_attendee_id(a), &fps, &kbps)) {
		sb_printf(b, ",\"fps\":%.1f,\"kbit_s\":%.0f", fps, kbps);
	}
	sb_printf(b, "}");
}

static void invitation_json(struct sbuf *b, rdpshare_invitation *inv, int index)
{
	sb_printf(b, "{\"index\":%d,\"auth_string\":", index);
	sb_json_str(b, rdpshare_invitation_auth_string(inv));
	sb_printf(b, ",\"group\":");
	sb_json_str(b, rdpshare_invitation_group(inv));
	sb_printf(b, ",\"limit\":%d,\"attendees\":%d,\"revoked\":%s",
	          rdpshare_invitation_get_limit(inv), rdpshare_invitation_attendee_count(inv),
	          rdpshare_invitation_is_revoked(inv) ? "true" : "false");
	char *cs = NULL;
	if (rdpshare_invitation_get_connection_string(inv, &cs) == RDPSHARE_OK) {
		sb_printf(b, ",\"connection_string\":");
		sb_json_str(b, cs);
		free(cs);
	}
	sb_printf(b, "}");
}

static rdpshare_attendee *attendee_arg(rdpshare_session *s, const char *arg)
{
	long id;
	return tool_parse_long(arg, &id) ? rdpshare_session_find_attendee(s, (int)id) : NULL;
}

static rdpshare_invitation *invitation_arg(rdpshare_session *s, const char *arg)
{
	rdpshare_invitation *inv = rdpshare_session_find_invitation(s, arg);
	long i;
	if (!inv && tool_parse_long(arg, &i)) {
		inv = rdpshare_session_invitation_at(s, (int)i);
	}
	return inv;
}

static void cmd_invite(struct sbuf *b, rdpshare_session *s, int argc, char **argv)
{
	const char *password = NULL, *group = NULL;
	bool no_password = false;
	long limit = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--password") == 0 && i + 1 < argc) {
			password = argv[++i];
		} else if (strcmp(argv[i], "--no-password") == 0) {
			no_password = true;
		} else if (strcmp(argv[i], "--group") == 0 && i + 1 < argc) {
			group = argv[++i];
		} else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc &&
		           tool_parse_long(argv[i + 1], &limit)) {
			i++;
		} else {
			sb_error(b, "usage: invite [--password PW | --no-password] [--limit N] "
			            "[--group NAME]");
			return;
		}
	}
	/* as for rdpshare's own invitation: none only when asked for by name */
	if ((password && !*password) || (password && no_password)) {
		sb_error(b, "invite: an invitation without a password (only its ticket, the "
		            "invitation file, lets viewers in) takes --no-password alone");
		return;
	}
	char *generated = password || no_password ? NULL : tool_generate_password();
	if (!password && !no_password && !generated) {
		sb_error(b, "out of memory");
		return;
	}
	rdpshare_invitation *inv = NULL;
	int r = rdpshare_session_create_invitation(s, NULL, group, password ? password : generated,
	                                           (int)limit, &inv);
	if (r != RDPSHARE_OK) {
		sb_error(b, rdpshare_strerror(r));
		free(generated);
		return;
	}
	sb_printf(b, "{\"ok\":true,\"invitation\":");
	invitation_json(b, inv, rdpshare_session_invitation_count(s) - 1);
	if (generated) {
		/* Only a password the sharer made up is shown: the user needs it;
		 * one they chose themselves is never echoed. */
		sb_printf(b, ",\"password\":");
		sb_json_str(b, generated);
	}
	if (no_password) {
		sb_printf(b, ",\"warning\":\"no password: whoever gets the invitation file or "
		             "connection string can join\"");
	}
	sb_printf(b, "}");
	free(generated);
}

static void cmd_rect(struct sbuf *b, rdpshare_session *s, const char *arg)
{
	int v[4];
	if (!tool_parse_ints(arg, v, 4) || v[2] <= 0 || v[3] <= 0 || v[0] > INT_MAX - v[2] ||
	    v[1] > INT_MAX - v[3]) {
		sb_error(b, "usage: rect X,Y,WIDTH,HEIGHT");
		return;
	}
	sb_result(b, rdpshare_session_set_shared_rect(s, v[0], v[1], v[0] + v[2], v[1] + v[3]));
}

static void cmd_properties(struct sbuf *b, rdpshare_session *s)
{
	sb_printf(b, "{\"ok\":true,\"properties\":{");
	const char *name;
	bool is_bool;
	for (int i = 0; (name = rdpshare_property_name(i, &is_bool, NULL)); i++) {
		long v = 0;
		rdpshare_session_get_property(s, name, &v);
		sb_printf(b, "%s", i ? "," : "");
		sb_json_str(b, name);
		if (is_bool) {
			sb_printf(b, ":%s", v ? "true" : "false");
		} else {
			sb_printf(b, ":%ld", v);
		}
	}
	int bpp = 0;
	rdpshare_session_get_color_depth(s, &bpp);
	sb_printf(b, "},\"color_depth\":%d,\"paused\":%s}", bpp,
	          rdpshare_session_is_paused(s) ? "true" : "false");
}

static enum rdpshare_ctrl_level level_arg(const char *s)
{
	if (strcmp(s, "none") == 0) {
		return RDPSHARE_CTRL_LEVEL_NONE;
	}
	if (strcmp(s, "view") == 0) {
		return RDPSHARE_CTRL_LEVEL_VIEW;
	}
	if (strcmp(s, "interactive") == 0) {
		return RDPSHARE_CTRL_LEVEL_INTERACTIVE;
	}
	return RDPSHARE_CTRL_LEVEL_INVALID;
}

static void run_command(struct sbuf *b, rdpshare_session *s, int argc, char **argv, bool *quit)
{
	const char *cmd = argc > 0 ? argv[0] : "";
	if (strcmp(cmd, "attendees") == 0 && argc == 1) {
		sb_printf(b, "{\"ok\":true,\"attendees\":[");
		int n = rdpshare_session_attendee_count(s);
		for (int i = 0; i < n; i++) {
			sb_printf(b, "%s", i ? "," : "");
			attendee_json(b, rdpshare_session_attendee_at(s, i));
		}
		sb_printf(b, "]}");
	} else if (strcmp(cmd, "invitations") == 0 && argc == 1) {
		sb_printf(b, "{\"ok\":true,\"invitations\":[");
		int n = rdpshare_session_invitation_count(s);
		for (int i = 0; i < n; i++) {
			sb_printf(b, "%s", i ? "," : "");
			invitation_json(b, rdpshare_session_invitation_at(s, i), i);
		}
		sb_printf(b, "]}");
	} else if (strcmp(cmd, "kick") == 0 && argc == 2) {
		rdpshare_attendee *a = attendee_arg(s, argv[1]);
		a ? sb_result(b, rdpshare_attendee_terminate(a))
		  : sb_error(b, "no attendee with that id");
	} else if (strcmp(cmd, "level") == 0 && argc == 3) {
		rdpshare_attendee *a = attendee_arg(s, argv[1]);
		enum rdpshare_ctrl_level l = level_arg(argv[2]);
		if (!a) {
			sb_error(b, "no attendee with that id");
		} else if (l == RDPSHARE_CTRL_LEVEL_INVALID) {
			sb_error(b, "level must be none, view or interactive");
		} else {
			sb_result(b, rdpshare_attendee_set_control_level(a, l));
		}
	} else if (strcmp(cmd, "pause") == 0 && argc == 1) {
		sb_result(b, rdpshare_session_pause(s));
	} else if (strcmp(cmd, "resume") == 0 && argc == 1) {
		sb_result(b, rdpshare_session_resume(s));
	} else if (strcmp(cmd, "rect") == 0 && argc == 2) {
		cmd_rect(b, s, argv[1]);
	} else if (strcmp(cmd, "invite") == 0) {
		cmd_invite(b, s, argc, argv);
	} else if (strcmp(cmd, "revoke") == 0 && argc == 2) {
		rdpshare_invitation *inv = invitation_arg(s, argv[1]);
		inv ? sb_result(b, rdpshare_invitation_set_revoked(inv, true))
		    : sb_error(b, "no invitation with that auth string or index");
	} else if (strcmp(cmd, "limit") == 0 && argc == 3) {
		rdpshare_invitation *inv = invitation_arg(s, argv[1]);
		long v;
		if (!inv) {
			sb_error(b, "no invitation with that auth string or index");
		} else if (!tool_parse_long(argv[2], &v)) {
			sb_error(b, "usage: limit INVITATION N");
		} else {
			sb_result(b, rdpshare_invitation_set_limit(inv, (int)v));
		}
	} else if (strcmp(cmd, "apps") == 0 && argc == 1) {
		apps_json(b, s);
	} else if (strcmp(cmd, "share") == 0 && argc == 3) {
		apps_cmd_share(b, s, argv[1], argv[2]);
	} else if (strcmp(cmd, "filter") == 0 && argc == 2) {
		apps_cmd_filter(b, s, argv[1]);
	} else if (strcmp(cmd, "show") == 0 && argc == 2) {
		apps_cmd_show(b, s, argv[1]);
	} else if (strcmp(cmd, "properties") == 0 && argc == 1) {
		cmd_properties(b, s);
	} else if (strcmp(cmd, "set") == 0 && argc == 3) {
		long v;
		if (strcmp(argv[2], "true") == 0) {
			v = 1;
		} else if (strcmp(argv[2], "false") == 0) {
			v = 0;
		} else if (!tool_parse_long(argv[2], &v) && !tool_parse_id(argv[2], &v)) {
			sb_error(b, "value must be a number (0x for hexadecimal), true or false");
			return;
		}
		sb_result(b, rdpshare_session_set_property(s, argv[1], v));
	} else if (strcmp(cmd, "color-depth") == 0 && argc == 2) {
		long v;
		sb_result(b, tool_parse_long(argv[1], &v)
		                 ? rdpshare_session_set_color_depth(s, (int)v)
		                 : RDPSHARE_E_INVALIDARG);
	} else if (strcmp(cmd, "channel-send") == 0 && argc == 4) {
		rdpshare_channel *ch = rdpshare_session_find_channel(s, argv[1]);
		long id = RDPSHARE_ATTENDEE_EVERYONE;
		if (!ch) {
			sb_error(b, "no such channel");
		} else if (strcmp(argv[2], "all") != 0 && !tool_parse_long(argv[2], &id)) {
			sb_error(b, "usage: channel-send NAME ID|all TEXT");
		} else {
			sb_result(b,
			          rdpshare_channel_send(ch, argv[3], strlen(argv[3]), (int)id, 0));
		}
	} else if (strcmp(cmd, "channel-access") == 0 && argc == 4) {
		rdpshare_channel *ch = rdpshare_session_find_channel(s, argv[1]);
		long id;
		bool rw = strcmp(argv[3], "sendreceive") == 0;
		if (!ch || !tool_parse_long(argv[2], &id) ||
		    (!rw && strcmp(argv[3], "none") != 0)) {
			sb_error(b, "usage: channel-access NAME ID none|sendreceive");
		} else {
			sb_result(
			    b, rdpshare_channel_set_access(ch, (int)id,
			                                   rw ? RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE
			                                      : RDPSHARE_CHANNEL_ACCESS_NONE));
		}
	} else if (strcmp(cmd, "snapshot") == 0 && argc == 2) {
		argv[1][0] == '/' ? sb_result(b, tool_snapshot(s, argv[1]))
		                  : sb_error(b, "snapshot wants an absolute path");
	} else if (strcmp(cmd, "requests") == 0 && argc == 1) {
		requests_json(b, s);
	} else if ((strcmp(cmd, "grant") == 0 || strcmp(cmd, "deny") == 0) && argc == 2) {
		/* ID is the request's (ctl requests, the control-request event):
		 * grant gives exactly the level that request showed */
		long id;
		char why[160];
		int r = tool_parse_long(argv[1], &id)
		            ? requests_answer(s, id, strcmp(cmd, "grant") == 0, why, sizeof(why))
		            : RDPSHARE_E_INVALIDARG;
		r == RDPSHARE_E_NOT_FOUND ? sb_error(b, why) : sb_result(b, r);
	} else if (strcmp(cmd, "quit") == 0 && argc == 1) {
		*quit = true;
		sb_result(b, RDPSHARE_OK);
	} else {
		sb_error(
		    b, "unknown command; try: attendees, invitations, kick ID, level ID "
		       "none|view|interactive, pause, resume, rect X,Y,W,H, invite "
		       "[--password PW | --no-password] [--limit N] [--group G], revoke INV, "
		       "limit INV N, "
		       "properties, set NAME VALUE, color-depth N, requests, grant REQ, deny REQ, "
		       "apps, share [app:|window:]ID on|off, filter on|off, show WINDOW_ID, "
		       "snapshot FILE.png, channel-send NAME ID|all TEXT, "
		       "channel-access NAME ID none|sendreceive, "
		       "quit");
	}
}

/* Wait until fd is ready for events, or the deadline (util_clock_ms) has
 * passed. True when ready (or hung up: the read or write then says so). */
static bool wait_until(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - util_clock_ms();
		if (left <= 0) {
			return false;
		}
		struct pollfd p = {fd, events, 0};
		int n = poll(&p, 1, (int)left);
		if (n > 0) {
			return true;
		}
		if (n == 0 || errno != EINTR) {
			return false;
		}
	}
}

/* The request, read within the deadline: its length, or -1 when the client
 * sent too much, broke off, or was too slow. */
static ssize_t read_request(int fd, char *req, int64_t deadline)
{
	size_t len = 0;
	while (len < MAX_REQUEST) {
		ssize_t n = read(fd, req + len, MAX_REQUEST - len);
		if (n == 0) {
			return (ssize_t)len; /* the client closed its side: complete */
		}
		if (n > 0) {
			len += (size_t)n;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (!wait_until(fd, POLLIN, deadline)) {
				return -1;
			}
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return -1;
}

/* The answer, written within the deadline; what does not fit is dropped. */
static void write_answer(int fd, const char *p, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!wait_until(fd, POLLOUT, deadline)) {
				return;
			}
		} else if (n == 0 || errno != EINTR) {
			return;
		}
	}
}

void ctl_serve_one(int listen_fd, rdpshare_session *s, bool *quit)
{
	/* This runs on the owner thread: while it waits, no event is
	 * dispatched and no viewer admitted. So the whole request has one
	 * deadline, and so has the answer: a client that trickles its request
	 * a byte at a time, or never reads its answer, is cut off after
	 * CTL_DEADLINE_MS each, where a timeout per read let it stay forever. */
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		return;
	}
	char *req = malloc(MAX_REQUEST + 1);
	ssize_t len = req ? read_request(fd, req, util_clock_ms() + CTL_DEADLINE_MS) : -1;
	struct sbuf b = {0};
	if (len < 0) {
		sb_error(&b, "request too long, incomplete or too slow");
	} else {
		req[len] = '\0';
		char *argv[MAX_ARGS];
		int argc = tool_split_request(req, (size_t)len, argv, MAX_ARGS);
		if (argc < 0) {
			sb_error(&b, "too many arguments");
		} else {
			run_command(&b, s, argc, argv, quit);
		}
	}
	sb_printf(&b, "\n");
	if (!b.failed) {
		write_answer(fd, b.p, b.len, util_clock_ms() + CTL_DEADLINE_MS);
	}
	sb_free(&b);
	free(req);
	close(fd);
}
