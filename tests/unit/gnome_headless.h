/* A private headless GNOME for unit tests, started the way tests/e2e/lib.sh
 * start_mutter does: its own session bus (dbus-daemon with a config of our
 * own, so nothing is activated behind our back), PipeWire, WirePlumber and
 * `mutter --headless --virtual-monitor 640x480`, all in a private
 * XDG_RUNTIME_DIR, with tests/helpers/wlpattern as the fullscreen
 * application. Every process started here is ended by its pid, and dies
 * with the test if the test dies first (PR_SET_PDEATHSIG). Header only
 * (static inline: a test uses what it needs). */
#ifndef RDPSHARE_TEST_GNOME_HEADLESS_H
#define RDPSHARE_TEST_GNOME_HEADLESS_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/capture.h"
#include "util/clock.h"

#define GNOME_WAYLAND "wayland-rdpshare-test" /* Mutter's display for its clients */

enum { P_DBUS, P_PIPEWIRE, P_WIREPLUMBER, P_MUTTER, P_PATTERN, P_COUNT };
static pid_t pids[P_COUNT];
static char runtime[PATH_MAX];
static char pattern_log[PATH_MAX + 32];

/* ---- processes ---- */

/* argv[0] with its output in runtime/NAME.log; extra_env "K=V" or NULL. */
static inline pid_t spawn(const char *name, const char *extra_env, char *const argv[])
{
	char log[PATH_MAX + 32];
	snprintf(log, sizeof(log), "%s/%s.log", runtime, name);
	pid_t pid = fork();
	if (pid < 0) {
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		/* If the test itself dies before its teardown, so do they. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int nul = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (nul >= 0) {
			dup2(nul, 0);
		}
		if (extra_env) {
			putenv((char *)extra_env);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static inline bool alive(pid_t pid)
{
	return pid > 0 && waitpid(pid, NULL, WNOHANG) == 0;
}

static inline void stop(int i)
{
	pid_t pid = pids[i];
	if (pid <= 0) {
		return;
	}
	pids[i] = 0;
	kill(pid, SIGTERM);
	for (int64_t end = util_clock_ms() + 3000; util_clock_ms() < end; usleep(20 * 1000)) {
		if (waitpid(pid, NULL, WNOHANG) != 0) {
			return;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static inline void print_log(const char *name)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s.log", runtime, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		return;
	}
	fprintf(stderr, "---- %s ----\n", path);
	char line[512];
	int n = 0;
	while (fgets(line, sizeof(line), f) && n++ < 60) {
		fputs(line, stderr);
	}
	fclose(f);
}

static inline bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		return false;
	}
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		found = strcmp(line, needle) == 0;
	}
	fclose(f);
	return found;
}

static inline bool wait_file(const char *path, int ms)
{
	for (int64_t end = util_clock_ms() + ms; util_clock_ms() < end; usleep(20 * 1000)) {
		if (access(path, F_OK) == 0) {
			return true;
		}
	}
	return false;
}

static inline int write_bus_config(const char *path, const char *socket)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		return -1;
	}
	/* No service directories: nothing gets activated, so nothing outlives
	 * the test unseen. */
	fprintf(f,
	        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
	        "1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	        "<busconfig><type>session</type><listen>unix:path=%s</listen>"
	        "<auth>EXTERNAL</auth><policy context=\"default\">"
	        "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
	        "<allow own=\"*\"/></policy></busconfig>\n",
	        socket);
	return fclose(f) == 0 ? 0 : -1;
}

static inline int start_desktop(void)
{
	char conf[PATH_MAX + 32], sock[PATH_MAX + 32], addr[PATH_MAX + 64], dir[PATH_MAX + 32];
	snprintf(conf, sizeof(conf), "%s/bus.conf", runtime);
	snprintf(sock, sizeof(sock), "%s/bus", runtime);
	snprintf(addr, sizeof(addr), "unix:path=%s", sock);
	if (write_bus_config(conf, sock) < 0) {
		return -1;
	}
	setenv("XDG_RUNTIME_DIR", runtime, 1);
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
	snprintf(dir, sizeof(dir), "%s/config", runtime);
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(dir, sizeof(dir), "%s/state", runtime);
	setenv("XDG_STATE_HOME", dir, 1);
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("PIPEWIRE_REMOTE");
	unsetenv("PIPEWIRE_RUNTIME_DIR");

	char conf_arg[PATH_MAX + 48];
	snprintf(conf_arg, sizeof(conf_arg), "--config-file=%s", conf);
	char *dbus[] = {"dbus-daemon", conf_arg, "--nofork", "--nopidfile", "--nosyslog", NULL};
	pids[P_DBUS] = spawn("dbus-daemon", NULL, dbus);
	if (pids[P_DBUS] < 0 || !wait_file(sock, 5000)) {
		fprintf(stderr, "dbus-daemon did not start\n");
		return -1;
	}
	char *pw[] = {"pipewire", NULL};
	pids[P_PIPEWIRE] = spawn("pipewire", NULL, pw);
	char pw_sock[PATH_MAX + 32];
	snprintf(pw_sock, sizeof(pw_sock), "%s/pipewire-0", runtime);
	if (pids[P_PIPEWIRE] < 0 || !wait_file(pw_sock, 5000)) {
		fprintf(stderr, "pipewire did not start\n");
		return -1;
	}
	char *wp[] = {"wireplumber", NULL};
	pids[P_WIREPLUMBER] = spawn("wireplumber", NULL, wp);
	char *mutter[] = {
	    "mutter",  "--headless",        "--wayland",   "--no-x11", "--virtual-monitor",
	    "640x480", "--wayland-display", GNOME_WAYLAND, NULL};
	pids[P_MUTTER] = spawn("mutter", "GSETTINGS_BACKEND=memory", mutter);
	if (pids[P_WIREPLUMBER] < 0 || pids[P_MUTTER] < 0) {
		return -1;
	}
	/* The probe the session's auto-detection uses, under test here too. */
	bool up = false;
	for (int64_t end = util_clock_ms() + 30000; !up && util_clock_ms() < end;) {
		up = capture_gnome_available();
		if (!up && !alive(pids[P_MUTTER])) {
			pids[P_MUTTER] = 0;
			break;
		}
		if (!up) {
			usleep(100 * 1000);
		}
	}
	if (!up) {
		fprintf(stderr, "mutter did not come up on the bus\n");
		print_log("mutter");
		return -1;
	}
	snprintf(pattern_log, sizeof(pattern_log), "%s/wlpattern.log", runtime);
	char helper[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", helper, sizeof(helper) - 16);
	if (n <= 0) {
		return -1;
	}
	helper[n] = '\0';
	strcpy(strrchr(helper, '/') + 1, "wlpattern");
	char *app[] = {helper, NULL};
	pids[P_PATTERN] = spawn("wlpattern", "WAYLAND_DISPLAY=" GNOME_WAYLAND, app);
	for (int64_t end = util_clock_ms() + 10000; util_clock_ms() < end; usleep(50 * 1000)) {
		if (file_has(pattern_log, "drawn 640 480")) {
			return 0;
		}
	}
	fprintf(stderr, "wlpattern did not draw\n");
	print_log("wlpattern");
	print_log("mutter");
	return -1;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The desktop in a fresh runtime dir: 0, or -1 with what failed said. */
static inline int gnome_desktop_start(void)
{
	snprintf(runtime, sizeof(runtime), "/tmp/rdpshare-gnome-XXXXXX");
	if (!mkdtemp(runtime) || chmod(runtime, 0700) < 0) {
		return -1;
	}
	return start_desktop();
}

/* Stop what is still running, newest first, and remove the runtime dir. */
static inline void gnome_desktop_stop(void)
{
	for (int i = P_COUNT - 1; i >= 0; i--) {
		stop(i);
	}
	if (getenv("GNOME_TEST_LOGS")) {
		print_log("wlpattern");
		print_log("mutter");
	}
	nftw(runtime, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
