/* Where rdpshare keeps its files, and the one rule for a private directory.
 *
 * The runtime directory holds the instance lock, the control socket and the
 * invitation file. Without $XDG_RUNTIME_DIR it is a fixed name under /tmp,
 * which any local user can create first: a directory someone else owns, or
 * can write to, or a symbolic link to one, lets that user replace the
 * invitation file, plant a control socket, or hold the lock. So a directory
 * is used only when it is private (below), and one that is not is refused
 * with a message that says why: never loosened, never tightened, because a
 * directory another user could write to may already hold their files.
 *
 * The configuration directory holds the TLS key: never under /tmp, so without
 * $XDG_CONFIG_HOME and $HOME it is found from the password database, and
 * without that either there is none (the caller says so).
 *
 * Path choice is pure (environment passed in); the checks use lstat and
 * mkdir only. Used by the library (lock, key) and the tool (socket). */
#ifndef RDPSHARE_UTIL_DIRS_H
#define RDPSHARE_UTIL_DIRS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Private: a directory itself (lstat: not a symbolic link to one), owned by
 * uid, mode 0700 (the owner has all of rwx, nobody else anything). Judges st,
 * which came from lstat. Returns 0 or
 *   -ELOOP   a symbolic link
 *   -ENOTDIR something other than a directory
 *   -EPERM   owned by another user
 *   -EACCES  a mode other than 0700
 * and then writes what is wrong into why (a phrase to follow the path, such
 * as "is owned by uid 65534, not by uid 1000"), cut to why_size. why may be
 * NULL. */
int dirs_judge(const struct stat *st, uid_t uid, char *why, size_t why_size);

/* path is a private directory of the effective user: lstat and dirs_judge.
 * Returns 0, dirs_judge's errors, or lstat's (-ENOENT ...) with why saying
 * so. */
int dirs_check_private(const char *path, char *why, size_t why_size);

/* Create path as a private directory (mkdir 0700; its parent must exist),
 * or accept it when it already is one (dirs_check_private). A directory we
 * have just made is set to exactly 0700 whatever the umask. Returns 0 or a
 * negative errno with why filled, as dirs_check_private. */
int dirs_make_private(const char *path, char *why, size_t why_size);

/* The runtime directory: xdg_runtime_dir when it is an absolute path, else
 * "<tmpdir>/rdpshare-<uid>" with tmpdir the given one when absolute, else
 * /tmp. Ownership: malloc'd, caller frees; NULL when out of memory. */
char *dirs_runtime(const char *xdg_runtime_dir, const char *tmpdir, unsigned uid);

/* The configuration directory: "<xdg_config_home>/rdpshare", else
 * "<home>/.config/rdpshare", else "<pw_dir>/.config/rdpshare", taking the
 * first of them that is an absolute path. Returns 0 with
 * *out malloc'd (caller frees), -ENOENT when none is (no home directory:
 * never /tmp), -ENOMEM. */
int dirs_config(const char *xdg_config_home, const char *home, const char *pw_dir, char **out);

#endif
