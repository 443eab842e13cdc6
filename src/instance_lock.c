/* One live sharing session per login session, as the original allows one
 * RDPSession per Winlogon session. An flock() on a file in the runtime dir:
 * the kernel drops it when the process dies, so a crash never leaves a stale
 * lock, and a second open file description in the same process conflicts
 * too, so the rule holds inside one program as well. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "session_internal.h"
#include "util/dirs.h"

int instance_lock_take(const char *runtime_dir, int *fd_out)
{
	char path[PATH_MAX];
	/* A directory another user owns or can write to (a /tmp/rdpshare-UID made
	 * first by someone else) would let them hold this lock, or swap the
	 * files kept beside it. */
	int r = dirs_make_private(runtime_dir, NULL, 0);
	if (r < 0) {
		return r == -ENOTDIR || r == -ELOOP || r == -EPERM || r == -EACCES
		           ? RDPSHARE_E_ACCESS
		           : RDPSHARE_E_IO;
	}
	if (snprintf(path, sizeof(path), "%s/rdpshare.lock", runtime_dir) >= (int)sizeof(path)) {
		return RDPSHARE_E_INVALIDARG;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0) {
		return RDPSHARE_E_IO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return e == EWOULDBLOCK ? RDPSHARE_E_INSTANCE : RDPSHARE_E_IO;
	}
	*fd_out = fd;
	return RDPSHARE_OK;
}

void instance_lock_release(int fd)
{
	if (fd >= 0) {
		close(fd);
	}
}
