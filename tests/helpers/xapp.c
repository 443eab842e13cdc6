/* Test helper: a tiny X application for the application-filter tests. One
 * normal top-level window filled with a colour, titled, under a process
 * name of our choice (so two copies are two applications with different
 * names). SIGUSR1 opens a second window of the same application, SIGUSR2
 * an override-redirect popup (like a menu) beside the first window.
 *   xapp NAME RRGGBB X,Y,W,H [X,Y,W,H for the second window]
 * Prints "window 0xID" for each window once it is mapped, and the input
 * its windows get ("key-press KEYSYM", "button-press N"). Runs until
 * killed. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static volatile sig_atomic_t want_second, want_popup;

static void on_usr1(int sig)
{
	(void)sig;
	want_second = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	want_popup = 1;
}

static Window make(Display *d, const int g[4], unsigned long color, bool popup, const char *title)
{
	XSetWindowAttributes a;
	a.background_pixel = color;
	a.override_redirect = popup;
	a.event_mask = ExposureMask | StructureNotifyMask | KeyPressMask | ButtonPressMask;
	Window w = XCreateWindow(d, DefaultRootWindow(d), g[0], g[1], (unsigned)g[2],
	                         (unsigned)g[3], 0, CopyFromParent, InputOutput, CopyFromParent,
	                         CWBackPixel | CWOverrideRedirect | CWEventMask, &a);
	XStoreName(d, w, title);
	XClassHint ch = {(char *)"xapp", (char *)"Xapp"};
	XSetClassHint(d, w, &ch);
	XMapWindow(d, w);
	return w;
}

int main(int argc, char **argv)
{
	int g1[4], g2[4] = {0, 0, 0, 0};
	if (argc < 4 || sscanf(argv[3], "%d,%d,%d,%d", &g1[0], &g1[1], &g1[2], &g1[3]) != 4 ||
	    (argc > 4 && sscanf(argv[4], "%d,%d,%d,%d", &g2[0], &g2[1], &g2[2], &g2[3]) != 4)) {
		fprintf(stderr, "usage: xapp NAME RRGGBB X,Y,W,H [X,Y,W,H]\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1]);
	unsigned long color = strtoul(argv[2], NULL, 16);
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xapp: no display\n");
		return 1;
	}
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	char title[128];
	snprintf(title, sizeof(title), "%s main", argv[1]);
	make(d, g1, color, false, title);
	XFlush(d);
	for (;;) {
		while (XPending(d)) {
			XEvent ev;
			XNextEvent(d, &ev);
			if (ev.type == MapNotify) {
				printf("window 0x%lx\n", ev.xmap.window);
			} else if (ev.type == KeyPress) {
				KeySym ks = XLookupKeysym(&ev.xkey, 0);
				const char *name = XKeysymToString(ks);
				printf("key-press %s\n", name ? name : "?");
			} else if (ev.type == ButtonPress) {
				printf("button-press %u\n", ev.xbutton.button);
			}
			fflush(stdout);
		}
		if (want_second && argc > 4) {
			want_second = 0;
			snprintf(title, sizeof(title), "%s second", argv[1]);
			make(d, g2, color, false, title);
			XFlush(d);
		}
		if (want_popup) {
			want_popup = 0;
			int gp[4] = {g1[0] + g1[2], g1[1], 60, 80};
			make(d, gp, color ^ 0x404040, true, "popup");
			XFlush(d);
		}
		usleep(20000);
	}
}
