/* `rdpshare ctl`, the client side: one command to the sharer's control
 * socket, its JSON answer printed as is (--json) or for people
 * (ctl_show.c); `ctl top` asks again every second (ctl_top.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tool.h"

int ctl_client_main(int argc, char **argv)
{
	int first = 0;
	bool json = false;
	/* options before the command, in any order */
	const char *sock = NULL;
	for (;;) {
		if (argc - first >= 2 && strcmp(argv[first], "--socket") == 0) {
			sock = argv[first + 1];
			first += 2;
		} else if (argc - first >= 1 && strcmp(argv[first], "--json") == 0) {
			json = true;
			first++;
		} else {
			break;
		}
	}
	if (first >= argc) {
		fprintf(stderr, "usage: rdpshare ctl [--socket PATH] [--json] COMMAND [ARGS...]\n"
		                "       rdpshare ctl [--socket PATH] top\n");
		return 2;
	}
	char *path = sock ? strdup(sock) : ctl_default_path();
	if (!path) {
		fprintf(stderr, "rdpshare ctl: out of memory\n");
		return 1;
	}
	/* A socket in a directory another user controls could be theirs, and
	 * would read what we send (an invitation's password, say). */
	char why[160];
	int pr = !sock ? ctl_dir_private(path, false, why, sizeof(why)) : 0;
	if (pr < 0 && pr != -ENOENT) {
		fprintf(stderr, "rdpshare ctl: not using %s: its directory %s\n", path, why);
		free(path);
		return 1;
	}
	if (argc - first == 1 && strcmp(argv[first], "top") == 0) {
		int r = ctl_top(path);
		free(path);
		return r;
	}
	/* the sharer writes snapshots: give it a path that means the same there */
	char cwd[PATH_MAX], abs[2 * PATH_MAX];
	if (argc - first == 2 && strcmp(argv[first], "snapshot") == 0 &&
	    argv[first + 1][0] != '/' && getcwd(cwd, sizeof(cwd)) &&
	    (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, argv[first + 1]) < sizeof(abs)) {
		argv[first + 1] = abs;
	}
	struct sbuf reply = {0};
	int r = ctl_ask(path, argc - first, argv + first, &reply, why, sizeof(why));
	free(path);
	int status;
	if (r < 0) {
		fprintf(stderr, "rdpshare ctl: %s\n", why);
		status = 1;
	} else if (json) {
		fwrite(reply.p, 1, reply.len, stdout);
		/* the same status as for people: 2 for what the sharer calls a wrong command */
		status = strstr(reply.p, "\"ok\":true") == reply.p + 1 ? 0
		         : strstr(reply.p, "\"error\":\"usage:") ||
		                 strstr(reply.p, "\"error\":\"unknown command")
		             ? 2
		             : 1;
	} else {
		status = ctl_show(reply.p, reply.len);
	}
	sb_free(&reply);
	return status;
}
