#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <winpr/wlog.h>

#include "rdpshare.h"
#include "rdpview.h"
#include "util/connstr.h"
#include "util/hostaddrs.h"
#include "util/hostport.h"
#include "util/knownhosts.h"

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
			if (!knownhosts_valid_kh(optarg)) {
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

/* The connection string of TARGET when it is one or names a file holding
 * one; NULL (and *is_plain) for HOST:PORT. Ownership: malloc'd. */
static char *target_connstr(const char *target, bool *is_plain, int *err)
{
	*is_plain = false;
	*err = 0;
	const char *p = target + strspn(target, " \t\r\n");
	if (*p == '<') {
		char *s = strdup(p);
		*err = s ? 0 : -ENOMEM;
		return s;
	}
	struct stat st;
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
		char *s = NULL;
		*err = invfile_read(target, &s);
		return *err ? NULL : s;
	}
	*is_plain = true;
	return NULL;
}

/* Reverse connect: listen, tell the sharer where (a connection string with
 * no invitation, [MS-RAI]'s reverse form), take its one connection. Returns
 * the connected socket or -1. */
static int wait_for_sharer(const char *spec, double seconds)
{
	char host[256] = "0.0.0.0";
	const char *colon = strrchr(spec, ':');
	const char *port_text = spec;
	if (colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port_text = colon + 1;
	}
	char *end;
	long port = strtol(port_text, &end, 10);
	if (!*port_text || *end || port < 0 || port > 65535) {
		fprintf(stderr, "rdpview: --listen wants [ADDR:]PORT\n");
		return -1;
	}
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res = NULL;
	char ps[8];
	snprintf(ps, sizeof(ps), "%ld", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0) {
		fprintf(stderr, "rdpview: cannot listen on %s\n", spec);
		return -1;
	}
	int lfd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(lfd, 1) < 0) {
		fprintf(stderr, "rdpview: cannot listen on %s: %s\n", spec, strerror(errno));
		freeaddrinfo(res);
		if (lfd >= 0) {
			close(lfd);
		}
		return -1;
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char bound[64] = "", bport[8] = "0";
	if (getsockname(lfd, (struct sockaddr *)&ss, &sl) == 0) {
		getnameinfo((struct sockaddr *)&ss, sl, bound, sizeof(bound), bport, sizeof(bport),
		            NI_NUMERICHOST | NI_NUMERICSERV);
	}
	uint16_t p = (uint16_t)strtol(bport, NULL, 10);
	/* the wildcard is no address to dial: offer this machine's own */
	struct connstr_addr addrs[8] = {0};
	size_t n = 0;
	if (strcmp(bound, "0.0.0.0") == 0 || strcmp(bound, "::") == 0) {
		struct util_hostaddr *own;
		size_t n_own;
		if (util_hostaddrs_list(AF_INET, &own, &n_own) == 0) {
			for (size_t i = 0; i < n_own && n < 7; i++) {
				if (!own[i].loopback) {
					snprintf(addrs[n].host, sizeof(addrs[n].host), "%s",
					         own[i].host);
					addrs[n++].port = p;
				}
			}
			free(own);
		}
		snprintf(addrs[n].host, sizeof(addrs[n].host), "127.0.0.1");
	} else {
		snprintf(addrs[n].host, sizeof(addrs[n].host), "%s", bound);
	}
	addrs[n++].port = p;
	char *cs = NULL;
	if (connstr_build(NULL, NULL, addrs, n, &cs) != 0) {
		close(lfd);
		return -1;
	}
	printf("connection-string: %s\n", cs);
	fflush(stdout);
	free(cs);
	struct pollfd pfd = {lfd, POLLIN, 0};
	int r = poll(&pfd, 1, seconds > 0 ? (int)(seconds * 1000) : -1);
	int fd = r > 0 ? accept4(lfd, NULL, NULL, SOCK_CLOEXEC) : -1;
	close(lfd);
	if (fd < 0) {
		fprintf(stderr, "rdpview: no sharer called\n");
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct rv_opts o = {0};
	int r = parse_opts(argc, argv, &o);
	if (r) {
		return r;
	}
	signal(SIGPIPE, SIG_IGN);
	/* FreeRDP narrates every step at INFO on stdout, where --stats and
	 * --events print JSON; keep its warnings unless WLOG_LEVEL says more */
	if (!getenv("WLOG_LEVEL")) {
		WLog_SetLogLevel(WLog_GetRoot(), WLOG_WARN);
	}
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
	bool plain = false;
	int err = 0;
	char *cs_text = o.target ? target_connstr(o.target, &plain, &err) : NULL;
	struct connstr cs = {0};
	bool have_cs = false;
	char *kh_path = NULL;
	int status = 2;
	if (o.target && !plain) {
		if (!cs_text || connstr_parse(cs_text, strlen(cs_text), &cs) != 0) {
			fprintf(stderr, "rdpview: %s: not a valid invitation (%s)\n", o.target,
			        err ? strerror(-err) : "malformed connection string");
			goto out;
		}
		have_cs = true;
	}
	if (o.listen && plain) {
		fprintf(stderr, "rdpview: with --listen, TARGET is the sharer's invitation (for "
		                "its KH), not an address\n");
		goto out;
	}
	/* The pin, before anything is sent: the invitation's KH, else --kh,
	 * else the known-hosts file. A sharer that calls --listen has no name
	 * to record a key under, and the first caller would be trusted. */
	if (have_cs && cs.kh) {
		rv.expect_kh = cs.kh;
		rv.pin_from = "of this invitation";
	} else if (o.kh) {
		rv.expect_kh = (char *)o.kh;
		rv.pin_from = "pinned by --kh";
	} else if (o.insecure) {
		/* the user said so */
	} else if (o.listen) {
		fprintf(stderr, "rdpview: --listen needs the sharer's key hash: --kh KH, or its "
		                "invitation (with KH) as TARGET, or --insecure\n");
		goto out;
	} else if (knownhosts_default_path(&kh_path) != 0) {
		fprintf(stderr, "rdpview: no known-hosts file (neither XDG_CONFIG_HOME nor HOME "
		                "is set): pin the sharer with --kh KH, or --insecure\n");
		goto out;
	} else {
		rv.known_hosts = kh_path;
	}
	if (o.listen) {
		int fd = wait_for_sharer(o.listen, o.seconds);
		if (fd < 0) {
			status = 1;
			goto out;
		}
		char pipe_host[] = "|"; /* FreeRDP: use the socket given as the port */
		rv.host = pipe_host;
		rv.port = fd;
		/* only the invitation's KH: the logon stays the plain one the
		 * sharer that dials in expects (its ticket may be another) */
		status = rv_run(&rv);
	} else if (plain) {
		char host[256];
		int port;
		if (hostport_split(o.target, host, sizeof(host), &port) != 0 || port == 0) {
			fprintf(stderr,
			        "rdpview: %s is no connection string, invitation file or "
			        "HOST:PORT\n",
			        o.target);
			goto out;
		}
		rv.host = host;
		rv.port = port;
		status = rv_run(&rv);
	} else {
		rv.ticket = cs.auth_id && cs.auth_id[0] ? cs.auth_id : NULL;
		bool mismatch = false;
		for (size_t i = 0; i < cs.n_addrs; i++) {
			rv.host = cs.addrs[i].host;
			rv.port = cs.addrs[i].port;
			rv.kh_mismatch = false;
			status = rv_run(&rv);
			mismatch = mismatch || rv.kh_mismatch;
			/* done, refused or removed: another address would not help */
			if (status == 0 || status == 4 || status == 5) {
				break;
			}
		}
		if (status != 0 && status != 4 && status != 5 && mismatch) {
			status = 3;
		}
	}
out:
	free(kh_path);
	connstr_clear(&cs);
	free(cs_text);
	rv_script_free(rv.script);
	return status;
}
