/* Where the control socket is and asking it: shared by the sharer (which
 * listens there, ctl.c) and the clients (ctl_client.c, ctl_top.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tool.h"
#include "util/dirs.h"

char *ctl_default_path(void)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	char *p = NULL;
	int r;
	if (rt && rt[0] == '/') {
		r = asprintf(&p, "%s/rdpshare/ctl.sock", rt);
	} else {
		/* the library's runtime directory (the lock's), from the same rule */
		char *dir = dirs_runtime(NULL, getenv("TMPDIR"), (unsigned)getuid());
		r = dir ? asprintf(&p, "%s/ctl.sock", dir) : -1;
		free(dir);
	}
	return r < 0 ? NULL : p;
}

int ctl_dir_private(const char *path, bool create, char *why, size_t why_size)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir)) {
		snprintf(why, why_size, "is not a path in a directory of its own");
		return -EINVAL;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return create ? dirs_make_private(dir, why, why_size)
	              : dirs_check_private(dir, why, why_size);
}

int ctl_ask(const char *path, int argc, char **argv, struct sbuf *reply, char *why, size_t why_len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(why, why_len, "no sharer listening on %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (write(fd, argv[i], l) != (ssize_t)l) {
			snprintf(why, why_len, "%s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	shutdown(fd, SHUT_WR);
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sb_printf(reply, "%.*s", (int)n, buf);
	}
	close(fd);
	if (!reply->len || reply->failed) {
		snprintf(why, why_len, "the sharer closed without an answer");
		return -1;
	}
	return 0;
}
