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
#include <sys/stat.h>
#include <unistd.h>

#include "session_internal.h"

int instance_lock_take(const char *runtime_dir, int *fd_out)
{
	char path[PATH_MAX];
	if (mkdir(runtime_dir, 0700) < 0 && errno != EEXIST) {
		return RDPSHARE_E_IO;
	}
	if (snprintf(path, sizeof(path), "%s/rdpshare.lock", runtime_dir) >= (int)sizeof(path)) {
		return RDPSHARE_E_INVALIDARG;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
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
