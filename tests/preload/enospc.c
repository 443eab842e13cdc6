/* Test shim (LD_PRELOAD): a full disk under one directory. write() and
 * fsync() on files whose path starts with $ENOSPC_PREFIX fail with ENOSPC,
 * so tests can check what the sharer does when it cannot write a file,
 * without root or a real full file system. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int is_full(int fd)
{
	const char *prefix = getenv("ENOSPC_PREFIX");
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = prefix ? readlink(link, path, sizeof(path) - 1) : -1;
	if (n <= 0) {
		return 0;
	}
	path[n] = '\0';
	return strncmp(path, prefix, strlen(prefix)) == 0;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real) {
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	}
	if (count > 0 && is_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd, buf, count);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real) {
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	}
	if (is_full(fd)) {
		errno = ENOSPC;
		return -1;
	}
	return real(fd);
}
