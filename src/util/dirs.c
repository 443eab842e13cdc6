#include "util/dirs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int say(char *why, size_t why_size, int r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int say(char *why, size_t why_size, int r, const char *fmt, ...)
{
	if (why && why_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return r;
}

int dirs_judge(const struct stat *st, uid_t uid, char *why, size_t why_size)
{
	if (S_ISLNK(st->st_mode)) {
		return say(why, why_size, -ELOOP, "is a symbolic link");
	}
	if (!S_ISDIR(st->st_mode)) {
		return say(why, why_size, -ENOTDIR, "is not a directory");
	}
	if (st->st_uid != uid) {
		return say(why, why_size, -EPERM, "is owned by uid %u, not by uid %u",
		           (unsigned)st->st_uid, (unsigned)uid);
	}
	if ((st->st_mode & 07777) != 0700) {
		return say(why, why_size, -EACCES, "has mode %04o, not 0700",
		           (unsigned)(st->st_mode & 07777));
	}
	return 0;
}

int dirs_check_private(const char *path, char *why, size_t why_size)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		int e = errno;
		return say(why, why_size, -e, "cannot be examined: %s", strerror(e));
	}
	return dirs_judge(&st, geteuid(), why, why_size);
}

int dirs_make_private(const char *path, char *why, size_t why_size)
{
	if (mkdir(path, 0700) == 0) {
		/* ours since a moment ago: a umask (0277, say) must not leave it
		 * unusable, and nobody else had a way in meanwhile */
		if (chmod(path, 0700) < 0) {
			int e = errno;
			return say(why, why_size, -e, "cannot be set to mode 0700: %s",
			           strerror(e));
		}
	} else if (errno != EEXIST) {
		int e = errno;
		return say(why, why_size, -e, "cannot be created: %s", strerror(e));
	}
	return dirs_check_private(path, why, why_size);
}

char *dirs_runtime(const char *xdg_runtime_dir, const char *tmpdir, unsigned uid)
{
	char *out = NULL;
	int r;
	if (xdg_runtime_dir && xdg_runtime_dir[0] == '/') {
		out = strdup(xdg_runtime_dir);
		return out;
	}
	r = asprintf(&out, "%s/rdpshare-%u", tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp", uid);
	return r < 0 ? NULL : out;
}

int dirs_config(const char *xdg_config_home, const char *home, const char *pw_dir, char **out)
{
	const char *base = NULL, *sub = "/rdpshare";
	if (xdg_config_home && xdg_config_home[0] == '/') {
		base = xdg_config_home;
	} else if (home && home[0] == '/') {
		base = home;
		sub = "/.config/rdpshare";
	} else if (pw_dir && pw_dir[0] == '/') {
		base = pw_dir;
		sub = "/.config/rdpshare";
	} else {
		*out = NULL;
		return -ENOENT;
	}
	if (asprintf(out, "%s%s", base, sub) < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}
