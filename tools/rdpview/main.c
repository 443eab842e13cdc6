#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "framing.h"
#include "rdpshare.h"
#include "png_write.h"
#include "rdpview.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: rdpview [--name NAME] [--password PW] [options] TARGET\n"
	        "       rdpview [--name NAME] [--password PW] [options] --listen [ADDR:]PORT\n"
	        "               (--kh KH | INVITATION | --insecure)\n"
	        "\n"
	        "Joins a desktop shared with rdpshare (or any RDP sharer). TARGET is a\n"
	        "connection string (<E>...</E>), an invitation file, or HOST:PORT. The\n"
	        "addresses of an invitation are tried in order.\n"
	        "\n"
	        "The sharer's certificate is checked before the password is sent: it must\n"
	        "carry the invitation's key hash (KH), else the one given with --kh, else\n"
	        "(HOST:PORT, an invitation without KH) the one recorded for that HOST:PORT\n"
	        "in the known-hosts file, $XDG_CONFIG_HOME/rdpview/known_hosts (else\n"
	        "~/.config/rdpview/known_hosts). A first connection records it there, a\n"
	        "line \"HOST:PORT KH\" (IPv6 in brackets; '#' starts a comment); a sharer\n"
	        "that later presents another key is refused (exit 3): delete its line if\n"
	        "its key really changed. --listen takes no known-hosts entry, since any\n"
	        "caller could be first: it needs --kh, or the sharer's invitation (only its\n"
	        "KH is used), or --insecure.\n"
	        "\n"
	        "  --name NAME            how the sharer sees you (default $USER)\n"
	        "  --password PW          the invitation password (else $RDPVIEW_PASSWORD,\n"
	        "                         else asked on the terminal)\n"
	        "  --kh KH                pin the certificate of a HOST:PORT target or of\n"
	        "                         the sharer that calls --listen\n"
	        "  --insecure             accept any certificate where no KH pins it (no\n"
	        "                         known-hosts file): anyone in the middle gets\n"
	        "                         the password\n"
	        "  --headless             no window\n"
	        "  --screenshot F.png     save the desktop as PNG when leaving\n"
	        "  --frames N             leave after N picture updates\n"
	        "  --seconds S            leave after S seconds\n"
	        "  --stats                print JSON statistics when leaving\n"
	        "  --events               print the sharer's multiparty events as JSON lines\n"
	        "  --request-control view|interactive\n"
	        "                         ask the sharer for that level once connected\n"
	        "  --input-script FILE    send timed input (see tools/rdpview/script.c)\n"
	        "  --encomsp-send HEX     testing aid: send these raw multiparty bytes\n"
	        "  --channel NAME         bridge the sharer's virtual channel NAME to stdin and\n"
	        "                         stdout, a message per line (--binary: each\n"
	        "                         message after a 4-byte big-endian length)\n"
	        "  --gfx                  ask for the graphics pipeline (H.264 where the\n"
	        "                         sharer offers it) instead of bitmap updates\n"
	        "  --frame-times          print each picture's arrival as a JSON line\n"
	        "                         (CLOCK_MONOTONIC microseconds), for latency tests\n"
	        "  --listen [ADDR:]PORT   reverse connect: print a connection string, wait\n"
	        "                         for the sharer (rdpshare --connect-to) to dial it\n"
	        "\n"
	        "In the window: Ctrl+Alt+C asks for control, Ctrl+Alt+V gives it back.\n"
	        "Exit status: 0 done, 1 error, 2 bad arguments, 3 certificate does not match\n"
	        "(the invitation, --kh or the known-hosts file), 4 refused by the sharer, 5\n"
	        "removed by the sharer.\n");
}

static int level_arg(const char *s)
{
	return strcmp(s, "view") == 0          ? RDPSHARE_CTRL_LEVEL_VIEW
	       : strcmp(s, "interactive") == 0 ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
	       : strcmp(s, "none") == 0        ? RDPSHARE_CTRL_LEVEL_NONE
	                                       : -1;
}

static int parse_opts(int argc, char **argv, struct rv_opts *o)
{
	enum {
		O_NAME = 1000,
		O_PASSWORD,
		O_KH,
		O_HEADLESS,
		O_SHOT,
		O_FRAMES,
		O_SECONDS,
		O_STATS,
		O_EVENTS,
		O_REQUEST,
		O_SCRIPT,
		O_RAW,
		O_LISTEN,
		O_CHANNEL,
		O_BINARY,
		O_GFX,
		O_FRAME_TIMES,
		O_INSECURE,
		O_HELP
	};
	static const struct option longopts[] = {
	    {"name", required_argument, NULL, O_NAME},
	    {"password", required_argument, NULL, O_PASSWORD},
	    {"kh", required_argument, NULL, O_KH},
	    {"headless", no_argument, NULL, O_HEADLESS},
	    {"screenshot", required_argument, NULL, O_SHOT},
	    {"frames", required_argument, NULL, O_FRAMES},
	    {"seconds", required_argument, NULL, O_SECONDS},
	    {"stats", no_argument, NULL, O_STATS},
	    {"events", no_argument, NULL, O_EVENTS},
	    {"request-control", required_argument, NULL, O_REQUEST},
	    {"input-script", required_argument, NULL, O_SCRIPT},
	    {"encomsp-send", required_argument, NULL, O_RAW},
	    {"listen", required_argument, NULL, O_LISTEN},
	    {"channel", required_argument, NULL, O_CHANNEL},
	    {"binary", no_argument, NULL, O_BINARY},
	    {"gfx", no_argument, NULL, O_GFX},
	    {"frame-times", no_argument, NULL, O_FRAME_TIMES},
	    {"insecure", no_argument, NULL, O_INSECURE},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	o->request_level = -1;
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_NAME:
			o->name = optarg;
			break;
		case O_PASSWORD:
			o->password = optarg;
			break;
		case O_KH:
			if (!rdpshare_kh_is_valid(optarg)) {
				fprintf(stderr, "rdpview: --kh wants a key hash (28 characters of "
				                "base64, as in an invitation's KH)\n");
				return 2;
			}
			o->kh = optarg;
			break;
		case O_INSECURE:
			o->insecure = true;
			break;
		case O_HEADLESS:
			o->headless = true;
			break;
		case O_SHOT:
			o->screenshot = optarg;
			break;
		case O_FRAMES:
			o->frames = strtol(optarg, &end, 10);
			if (*end || o->frames <= 0) {
				fprintf(stderr, "rdpview: --frames wants a number > 0\n");
				return 2;
			}
			break;
		case O_SECONDS:
			o->seconds = strtod(optarg, &end);
			if (*end || !(o->seconds > 0)) {
				fprintf(stderr, "rdpview: --seconds wants a number > 0\n");
				return 2;
			}
			break;
		case O_STATS:
			o->stats = true;
			break;
		case O_EVENTS:
			o->events = true;
			break;
		case O_REQUEST:
			o->request_level = level_arg(optarg);
			if (o->request_level < 0) {
				fprintf(stderr,
				        "rdpview: --request-control is view or interactive\n");
				return 2;
			}
			break;
		case O_SCRIPT:
			o->input_script = optarg;
			break;
		case O_RAW:
			if (strlen(optarg) % 2 ||
			    strspn(optarg, "0123456789abcdefABCDEF") != strlen(optarg)) {
				fprintf(stderr, "rdpview: --encomsp-send wants hex bytes\n");
				return 2;
			}
			o->encomsp_send_hex = optarg;
			break;
		case O_LISTEN:
			o->listen = optarg;
			break;
		case O_CHANNEL:
			if (strlen(optarg) == 0 || strlen(optarg) > 7) {
				fprintf(stderr, "rdpview: a channel name has 1 to 7 characters\n");
				return 2;
			}
			o->channel = optarg;
			break;
		case O_BINARY:
			o->binary = true;
			break;
		case O_GFX:
			o->gfx = true;
			break;
		case O_FRAME_TIMES:
			o->frame_times = true;
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
	/* --listen takes an invitation as its optional TARGET (for its KH) */
	if (optind != argc - 1 && !(o->listen && optind == argc)) {
		usage(stderr);
		return 2;
	}
	o->target = optind < argc ? argv[optind] : NULL;
	return 0;
}

/* --channel: stdin to the channel, a message per line (or length-prefixed
 * with --binary). Messages wait in buf until the channel takes them. */
struct stdin_bridge {
	bool eof;
	char *buf;
	size_t len, cap;
};

static void bridge_read(struct stdin_bridge *b)
{
	if (b->cap - b->len < 4096) {
		char *p = realloc(b->buf, b->cap + 65536);
		if (!p) {
			return;
		}
		b->buf = p;
		b->cap += 65536;
	}
	ssize_t n = read(STDIN_FILENO, b->buf + b->len, b->cap - b->len);
	if (n <= 0) {
		b->eof = true;
		return;
	}
	b->len += (size_t)n;
}

/* Send every complete message at the front while the channel takes them.
 * False when the stream is broken (a message over the legacy limit). */
static bool bridge_send(struct rv *rv, struct stdin_bridge *b)
{
	size_t off = 0;
	int r;
	size_t start, mlen, next;
	while ((r = frame_next(b->buf + off, b->len - off, rv->o->binary,
	                       RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY, &start, &mlen, &next)) > 0) {
		if (mlen > 0 &&
		    rdpshare_viewer_channel_send(rv->v, rv->o->channel, b->buf + off + start, mlen,
		                                 RDPSHARE_ATTENDEE_ID_HOST,
		                                 RDPSHARE_CHANNEL_FLAGS_LEGACY) != 0) {
			break; /* not open yet: keep it */
		}
		off += next;
	}
	memmove(b->buf, b->buf + off, b->len - off);
	b->len -= off;
	return r >= 0;
}

static void send_raw(struct rv *rv)
{
	const char *hex = rv->o->encomsp_send_hex;
	size_t n = strlen(hex) / 2;
	uint8_t *raw = malloc(n ? n : 1);
	for (size_t i = 0; raw && i < n; i++) {
		char pair[3] = {hex[2 * i], hex[2 * i + 1], 0};
		raw[i] = (uint8_t)strtoul(pair, NULL, 16); /* checked as hex by parse_opts */
	}
	if (raw && n) {
		rdpshare_viewer_debug_send_multiparty(rv->v, raw, n);
	}
	free(raw);
}

static void print_stats(struct rv *rv)
{
	struct rdpshare_viewer_stats st = {.size = sizeof(st)};
	struct rdpshare_viewer_frame f = {0};
	rdpshare_viewer_get_stats(rv->v, &st);
	rdpshare_viewer_get_frame(rv->v, &f);
	double secs = rv->t_auth_us ? (double)(rv_now_us() - rv->t_auth_us) / 1e6 : 0;
	double first =
	    rv->t_first_us && rv->t_auth_us ? (double)(rv->t_first_us - rv->t_auth_us) / 1e6 : -1;
	enum rdpshare_ctrl_level level = rdpshare_viewer_get_control_level(rv->v);
	printf("{\"event\":\"stats\",\"frames\":%llu,\"bytes\":%llu,\"seconds\":%.3f,"
	       "\"updates_per_second\":%.2f,\"first_frame_seconds\":%.3f,\"width\":%d,"
	       "\"height\":%d,\"level\":\"%s\",\"id\":%d}\n",
	       (unsigned long long)rv->frames_seen, (unsigned long long)st.bytes_received, secs,
	       secs > 0 ? (double)rv->frames_seen / secs : 0.0, first, f.width, f.height,
	       level != RDPSHARE_CTRL_LEVEL_INVALID ? rdpshare_ctrl_level_name(level) : "unknown",
	       rdpshare_viewer_get_attendee_id(rv->v));
	fflush(stdout);
}

static bool limits_reached(struct rv *rv)
{
	const struct rv_opts *o = rv->o;
	if (o->frames > 0 && rv->frames_seen >= (uint64_t)o->frames) {
		return true;
	}
	return o->seconds > 0 && rv->t_auth_us &&
	       rv_now_us() - rv->t_auth_us >= (int64_t)(o->seconds * 1e6);
}

/* Things to do once connected: raw bytes, the control request. */
static void after_connect(struct rv *rv)
{
	if (rv->o->encomsp_send_hex && !rv->sent_raw && rv->authenticated) {
		rv->sent_raw = true;
		send_raw(rv);
	}
	if (rv->o->request_level >= 0 && !rv->requested &&
	    rdpshare_viewer_get_attendee_id(rv->v) >= 0) {
		rv->requested = true;
		rdpshare_viewer_request_control(rv->v,
		                                (enum rdpshare_ctrl_level)rv->o->request_level);
	}
}

static int loop(struct rv *rv)
{
	struct stdin_bridge bridge = {.eof = !rv->o->channel};
	bool leaving = false;
	while (!rv->ended) {
		struct pollfd p[3] = {{rdpshare_viewer_get_fd(rv->v), POLLIN, 0},
		                      {-1, POLLIN, 0},
		                      {bridge.eof ? -1 : STDIN_FILENO, POLLIN, 0}};
		if (rv->win) {
			p[1].fd = rv_window_fd(rv->win);
		}
		int timeout = 100;
		if (rv->script && rv->t_first_us && !leaving) {
			int next =
			    rv_script_run(rv->script, rv, (rv_now_us() - rv->t_first_us) / 1000);
			if (next >= 0 && next < timeout) {
				timeout = next;
			}
		}
		poll(p, 3, timeout);
		rdpshare_viewer_dispatch(rv->v);
		if (rv->win) {
			rv_window_events(rv->win);
		}
		if (p[2].revents) {
			bridge_read(&bridge);
		}
		if (bridge.len && !bridge_send(rv, &bridge)) {
			fprintf(stderr,
			        "rdpview: a message on stdin is longer than %d bytes; "
			        "the rest of stdin is ignored\n",
			        RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY);
			bridge.eof = true;
			bridge.len = 0;
		}
		after_connect(rv);
		if (!leaving && (rv->quit || limits_reached(rv))) {
			leaving = true;
			if (rv->o->screenshot) {
				struct rdpshare_viewer_frame f;
				rdpshare_viewer_get_frame(rv->v, &f);
				int r = f.pixels ? png_write_bgrx(rv->o->screenshot, f.pixels,
				                                  f.width, f.height, f.stride)
				                 : -ENODATA;
				if (r < 0) {
					fprintf(stderr, "rdpview: cannot write %s: %s\n",
					        rv->o->screenshot, strerror(-r));
					rv->status = rv->status ? rv->status : 1;
				}
			}
			if (rv->o->stats) {
				print_stats(rv);
			}
			int keep = rv->status;
			rdpshare_viewer_disconnect(rv->v);
			while (!rv->ended) {
				struct pollfd q = {rdpshare_viewer_get_fd(rv->v), POLLIN, 0};
				poll(&q, 1, 1000);
				rdpshare_viewer_dispatch(rv->v);
			}
			rv->status = keep;
		}
	}
	free(bridge.buf);
	return rv->status;
}

int main(int argc, char **argv)
{
	struct rv_opts o = {0};
	int r = parse_opts(argc, argv, &o);
	if (r) {
		return r;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!o.name) {
		const char *user = getenv("USER");
		o.name = user && user[0] ? user : "viewer";
	}
	if (!o.password) {
		o.password = getenv("RDPVIEW_PASSWORD");
	}
	if (!o.password && isatty(STDIN_FILENO)) {
		o.password = getpass("invitation password: ");
	}
	if (!o.password) {
		fprintf(stderr, "rdpview: no password (--password, $RDPVIEW_PASSWORD)\n");
		return 2;
	}
	struct rv rv = {.o = &o};
	if (o.input_script) {
		int line = 0;
		rv.script = rv_script_load(o.input_script, &line);
		if (!rv.script) {
			fprintf(stderr, "rdpview: %s: %s\n", o.input_script,
			        line ? "bad step (see --help)" : strerror(errno));
			if (line) {
				fprintf(stderr, "rdpview: at line %d\n", line);
			}
			return 2;
		}
	}
	int status = 2;
	char *kh_path = NULL;
	const char *channels[] = {o.channel, NULL};
	struct rdpshare_viewer_config cfg = {
	    .size = sizeof(cfg),
	    .kh = o.kh,
	    .insecure = o.insecure,
	    .graphics_pipeline = o.gfx,
	    /* as rdpview always offered it: smaller, at a small loss */
	    .remotefx = true,
	    .channels = o.channel ? channels : NULL,
	};
	/* The pin: the invitation's KH, else --kh, else (HOST:PORT) the
	 * known-hosts file; a sharer that calls --listen has no name to record a
	 * key under, and the first caller would be trusted. */
	if (!o.kh && !o.insecure && !o.listen) {
		if (rdpshare_known_hosts_default_path(&kh_path) != 0) {
			fprintf(stderr,
			        "rdpview: no known-hosts file (neither XDG_CONFIG_HOME nor "
			        "HOME is set): pin the sharer with --kh KH, or --insecure\n");
			goto out;
		}
		cfg.known_hosts = kh_path;
	}
	r = rdpshare_viewer_create(&cfg, &rv_callbacks, &rv, &rv.v);
	if (r != 0) {
		fprintf(stderr, "rdpview: %s\n", rdpshare_strerror(r));
		goto out;
	}
	if (o.listen) {
		char *reverse = NULL;
		r = rdpshare_viewer_start_reverse_connect_listener(
		    rv.v, o.target, o.name, o.password, o.listen,
		    o.seconds > 0 ? (int)(o.seconds * 1000) : 0, &reverse);
		if (r == RDPSHARE_E_INVALIDARG && !o.kh && !o.insecure) {
			fprintf(stderr,
			        "rdpview: --listen needs the sharer's key hash: --kh KH, or its "
			        "invitation (with KH) as TARGET, or --insecure\n");
			goto out;
		}
		if (r != 0) {
			fprintf(stderr, "rdpview: cannot listen on %s: %s\n", o.listen,
			        rdpshare_strerror(r));
			status = r == RDPSHARE_E_INVALIDARG ? 2 : 1;
			goto out;
		}
		printf("connection-string: %s\n", reverse);
		fflush(stdout);
		free(reverse);
		snprintf(rv.host, sizeof(rv.host), "the sharer calling %s", o.listen);
	} else {
		r = rdpshare_viewer_connect(rv.v, o.target, o.name, o.password);
		if (r != 0) {
			fprintf(stderr,
			        r == RDPSHARE_E_INVALIDARG
			            ? "rdpview: %s is no connection string, invitation file or "
			              "HOST:PORT (or not a valid invitation)\n"
			            : "rdpview: %s: cannot connect\n",
			        o.target);
			goto out;
		}
		snprintf(rv.host, sizeof(rv.host), "%s",
		         o.target[0] == '<' ? "invitation" : o.target);
		/* (the address itself once the certificate is checked: report.c) */
	}
	status = loop(&rv);
out:
	rv_window_free(rv.win);
	rdpshare_viewer_destroy(rv.v);
	free(kh_path);
	rv_script_free(rv.script);
	return status;
}
