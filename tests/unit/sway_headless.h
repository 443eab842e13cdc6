/* A private headless sway for unit tests, started the way tests/e2e/lib.sh
 * start_sway does: pixman renderer, no input devices, and (since sway
 * refuses to run as root) as the unprivileged user rdpshare-wl, created
 * when missing. Its runtime dir is a fresh temporary one; WAYLAND_DISPLAY
 * and SWAYSOCK are absolute paths into it. Every process started here is
 * stopped by pid, and dies with the test if the test dies first
 * (PR_SET_PDEATHSIG; setpriv sets it for sway after changing user). Header
 * only (static inline: a test uses what it needs). */
#ifndef RDPSHARE_TEST_SWAY_HEADLESS_H
#define RDPSHARE_TEST_SWAY_HEADLESS_H

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWAY_USER "rdpshare-wl"

struct headless_sway {
	pid_t pid;
	char dir[64];        /* the test's own temporary dir */
	char run[96];        /* sway's XDG_RUNTIME_DIR, inside dir */
	char wayland[384];   /* WAYLAND_DISPLAY */
	char ipc[384];       /* SWAYSOCK */
	char client_run[96]; /* XDG_RUNTIME_DIR of the clients we start */
};

static inline bool sway_find(struct headless_sway *s)
{
	DIR *d = opendir(s->run);
	if (!d) {
		return false;
	}
	struct dirent *e;
	s->wayland[0] = s->ipc[0] = '\0';
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "sway-ipc.", 9) == 0 && n > 5 &&
		    strcmp(e->d_name + n - 5, ".sock") == 0) {
			snprintf(s->ipc, sizeof(s->ipc), "%s/%s", s->run, e->d_name);
		} else if (strncmp(e->d_name, "wayland-", 8) == 0 && !strstr(e->d_name, ".lock")) {
			snprintf(s->wayland, sizeof(s->wayland), "%s/%s", s->run, e->d_name);
		}
	}
	closedir(d);
	return s->ipc[0] && s->wayland[0];
}

/* Start sway with one output of w x h and the config lines extra (NULL:
 * none); false (and a message) on failure. */
static inline bool sway_start(struct headless_sway *s, int w, int h, const char *extra)
{
	memset(s, 0, sizeof(*s));
	s->pid = -1;
	struct passwd *pw = NULL;
	bool root = geteuid() == 0;
	if (root && !(pw = getpwnam(SWAY_USER))) {
		if (system("useradd -r -M -d /nonexistent -s /usr/sbin/nologin " SWAY_USER) != 0 ||
		    !(pw = getpwnam(SWAY_USER))) {
			fprintf(stderr, "cannot create the user %s\n", SWAY_USER);
			return false;
		}
	}
	snprintf(s->dir, sizeof(s->dir), "/tmp/rdpshare-sway.XXXXXX");
	if (!mkdtemp(s->dir)) {
		return false;
	}
	chmod(s->dir, 0711); /* sway's user passes through to its own dir */
	snprintf(s->run, sizeof(s->run), "%s/run", s->dir);
	snprintf(s->client_run, sizeof(s->client_run), "%s/client", s->dir);
	mkdir(s->run, 0700);
	mkdir(s->client_run, 0700);
	char path[160];
	snprintf(path, sizeof(path), "%s/config", s->run);
	FILE *f = fopen(path, "w");
	if (!f) {
		return false;
	}
	fprintf(f,
	        "output HEADLESS-1 resolution %dx%d position 0,0 bg #204060 solid_color\n"
	        "default_border none\nfocus_follows_mouse no\n%s\n",
	        w, h, extra ? extra : "");
	fclose(f);
	if (root && (chown(s->run, pw->pw_uid, pw->pw_gid) < 0 ||
	             chown(path, pw->pw_uid, pw->pw_gid) < 0)) {
		return false;
	}
	char log[160], uid[32], gid[32];
	snprintf(log, sizeof(log), "%s/sway.log", s->dir);
	snprintf(uid, sizeof(uid), "--reuid=%u", root ? pw->pw_uid : 0);
	snprintf(gid, sizeof(gid), "--regid=%u", root ? pw->pw_gid : 0);
	s->pid = fork();
	if (s->pid < 0) {
		return false;
	}
	if (s->pid == 0) {
		setpgid(0, 0); /* sway and its swaybg end together (sway_reap) */
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir("/") < 0) {
			_exit(126);
		}
		setenv("XDG_RUNTIME_DIR", s->run, 1);
		setenv("WLR_BACKENDS", "headless", 1);
		setenv("WLR_RENDERER", "pixman", 1);
		setenv("WLR_LIBINPUT_NO_DEVICES", "1", 1);
		unsetenv("WAYLAND_DISPLAY");
		unsetenv("DISPLAY");
		unsetenv("SWAYSOCK");
		if (root) {
			execlp("setpriv", "setpriv", uid, gid, "--clear-groups", "--pdeathsig",
			       "TERM", "sway", "-c", path, (char *)NULL);
		} else {
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			execlp("sway", "sway", "-c", path, (char *)NULL);
		}
		_exit(127);
	}
	for (int i = 0; i < 150; i++) {
		if (sway_find(s)) {
			/* the sockets exist before sway answers on them */
			char cmd[512];
			snprintf(cmd, sizeof(cmd), "swaymsg -s '%s' -t get_outputs >/dev/null 2>&1",
			         s->ipc);
			if (system(cmd) == 0) {
				return true;
			}
		}
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = -1;
			break;
		}
		usleep(100 * 1000);
	}
	fprintf(stderr, "sway did not start (log in %s)\n", log);
	return false;
}

/* Run argv as a Wayland client of s (as the test's user) in its own
 * process group, stdin from in (NULL: /dev/null), stdout to the fd out (-1:
 * /dev/null); its pid. */
static inline pid_t sway_client_io(struct headless_sway *s, char *const argv[], const char *in,
                                   int out)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int null = open("/dev/null", O_RDWR);
		int fd = in ? open(in, O_RDONLY) : null;
		if (fd < 0 || null < 0) {
			_exit(126);
		}
		dup2(fd, 0);
		dup2(out >= 0 ? out : null, 1);
		dup2(null, 2);
		setenv("WAYLAND_DISPLAY", s->wayland, 1);
		setenv("XDG_RUNTIME_DIR", s->client_run, 1);
		unsetenv("DISPLAY");
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static inline pid_t sway_client(struct headless_sway *s, char *const argv[])
{
	return sway_client_io(s, argv, NULL, -1);
}

/* Stop pid and its process group (SIGTERM, then SIGKILL after a second)
 * and reap it. */
static inline void sway_reap(pid_t pid)
{
	if (pid <= 0) {
		return;
	}
	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			kill(-pid, SIGKILL); /* what the group leader left behind */
			return;
		}
		usleep(10 * 1000);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Run argv as a client and collect its stdout (at most size - 1 bytes, NUL
 * added) until it exits or ms pass; its exit status, -1 when it had to be
 * stopped. */
static inline int sway_run(struct headless_sway *s, char *const argv[], char *buf, size_t size,
                           int ms)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		return -1;
	}
	pid_t pid = sway_client_io(s, argv, NULL, p[1]);
	close(p[1]);
	size_t n = 0;
	struct pollfd pfd = {p[0], POLLIN, 0};
	for (int waited = 0; waited < ms && poll(&pfd, 1, 50) >= 0; waited += 50) {
		if (!(pfd.revents & (POLLIN | POLLHUP))) {
			continue;
		}
		ssize_t r = read(p[0], buf + n, size - 1 - n);
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
		if (n == size - 1) {
			break;
		}
	}
	buf[n] = '\0';
	close(p[0]);
	int st = 0;
	for (int i = 0; i < 40; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		}
		usleep(50 * 1000);
	}
	sway_reap(pid);
	return -1;
}

/* Stop sway (when still running) and remove its dir. */
static inline void sway_stop(struct headless_sway *s)
{
	sway_reap(s->pid);
	s->pid = -1;
	if (s->dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		if (system(cmd) != 0) {
			fprintf(stderr, "could not remove %s\n", s->dir);
		}
		s->dir[0] = '\0';
	}
}

#endif
