/* The invitation passwords of the tool: generated ones, and --password-file,
 * a password kept in a file of the user's own, so that it is neither on the
 * command line (which every user of the machine can read in /proc) nor in
 * the sharer's output (a background sharer's goes to the journal). The
 * systemd user unit uses it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"
#include "util/random.h"
#include "util/text.h"

char *tool_generate_password(void)
{
	/* no look-alikes (l/1/I, O/0, ...): the password is read out or typed */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
	enum { PASSWORD_LEN = 12 };
	char *p = malloc(PASSWORD_LEN + 1);
	if (p && util_random_string(p, PASSWORD_LEN, alphabet) < 0) {
		free(p);
		p = NULL;
	}
	return p;
}

/* The library takes at most 255 bytes; one more tells a longer first line. */
#define PASSWORD_FILE_MAX 256

static int say(char *why, size_t why_size, const char *fmt, const char *arg)
{
	snprintf(why, why_size, fmt, arg);
	return -1;
}

/* A new file, created only when nothing is at path (O_EXCL: a symlink or a
 * file made meanwhile by someone else is never written through). */
static char *create_new(const char *path, bool *exists, char *why, size_t why_size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*exists = errno == EEXIST;
		if (!*exists) {
			say(why, why_size, "cannot create it: %s", strerror(errno));
		}
		return NULL;
	}
	char *pw = tool_generate_password();
	size_t n = pw ? strlen(pw) : 0;
	bool ok = pw && write(fd, pw, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
	int err = errno;
	if (close(fd) < 0) {
		ok = false;
	}
	if (!ok) {
		unlink(path);
		say(why, why_size, "cannot write it: %s", pw ? strerror(err) : "out of memory");
		free(pw);
		return NULL;
	}
	return pw;
}

/* The first line of an existing file, which must be the user's alone: a
 * password others can read or change is no secret. */
static char *read_existing(const char *path, char *why, size_t why_size)
{
	/* Looked at before it is opened: opening a device or a terminal can
	 * have effects of its own. */
	struct stat first;
	if (lstat(path, &first) < 0) {
		say(why, why_size, "cannot look at it: %s", strerror(errno));
		return NULL;
	}
	if (S_ISLNK(first.st_mode)) {
		say(why, why_size, "is %s", "a symbolic link");
		return NULL;
	}
	if (!S_ISREG(first.st_mode)) {
		say(why, why_size, "is %s", "not a regular file");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		say(why, why_size, "cannot open it: %s", strerror(errno));
		return NULL;
	}
	char buf[PASSWORD_FILE_MAX + 2];
	struct stat st;
	ssize_t n = -1;
	if (fstat(fd, &st) < 0) {
		say(why, why_size, "cannot look at it: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode) || st.st_dev != first.st_dev || st.st_ino != first.st_ino) {
		say(why, why_size, "is %s", "not a regular file");
	} else if (st.st_uid != geteuid()) {
		say(why, why_size, "belongs to %s", "someone else");
	} else if (st.st_mode & 077) {
		say(why, why_size, "%s (chmod 600 it)", "can be read or changed by others");
	} else if ((n = read(fd, buf, sizeof(buf) - 1)) < 0) {
		say(why, why_size, "cannot read it: %s", strerror(errno));
	}
	close(fd);
	if (n < 0) {
		return NULL;
	}
	buf[n] = '\0';
	size_t len = strcspn(buf, "\r\n");
	char *pw = NULL;
	if (len == 0) {
		say(why, why_size, "%s",
		    "has an empty first line (for an invitation without a "
		    "password say --no-password)");
	} else if (len >= PASSWORD_FILE_MAX) {
		say(why, why_size, "%s", "has a first line longer than 255 bytes");
	} else if ((ssize_t)len < n && buf[len] == '\0') {
		say(why, why_size, "%s", "holds a NUL byte in its first line");
	} else if (!text_is_typeable(buf, len)) {
		/* the logon would refuse every viewer: say so now */
		say(why, why_size, "%s",
		    "has a first line no viewer can type (not UTF-8, or a control or "
		    "invisible character, or a byte order mark)");
	} else if (!(pw = strndup(buf, len))) {
		say(why, why_size, "%s", "cannot be read: out of memory");
	}
	explicit_bzero(buf, sizeof(buf));
	return pw;
}

char *tool_password_file(const char *path, char *why, size_t why_size)
{
	bool exists = true;
	char *pw = create_new(path, &exists, why, why_size);
	if (pw) {
		return pw;
	}
	return exists ? read_existing(path, why, why_size) : NULL;
}
