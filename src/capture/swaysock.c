/* Where sway's IPC socket is (see swaysock.h). */
#include "capture/swaysock.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool swaysock_find(const char *display, char *out, size_t len)
{
	const char *env = getenv("SWAYSOCK");
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return true;
	}
	const char *name = display && *display ? display : getenv("WAYLAND_DISPLAY");
	char dir[512];
	if (name && name[0] == '/') {
		snprintf(dir, sizeof(dir), "%s", name);
		char *slash = strrchr(dir, '/');
		*(slash == dir ? slash + 1 : slash) = '\0';
	} else if (getenv("XDG_RUNTIME_DIR")) {
		snprintf(dir, sizeof(dir), "%s", getenv("XDG_RUNTIME_DIR"));
	} else {
		return false;
	}
	DIR *d = opendir(dir);
	if (!d) {
		return false;
	}
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "sway-ipc.", 9) == 0 && n > 14 &&
		    strcmp(e->d_name + n - 5, ".sock") == 0) {
			found++;
			snprintf(out, len, "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	return found == 1;
}
