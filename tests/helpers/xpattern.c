/* Test helper: cover an X display with a known picture (colour bars, a
 * gradient, text) in an override-redirect window, so screenshots of the
 * sharer and of a viewer can be compared. SIGUSR1 switches to a second,
 * different picture (for pause/resume tests). Runs until killed. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t variant;

static void on_usr1(int sig)
{
	(void)sig;
	variant = !variant;
}

static unsigned long rgb(int r, int g, int b)
{
	return ((unsigned long)r << 16) | ((unsigned long)g << 8) | (unsigned long)b;
}

static void draw(Display *d, Window w, GC gc, int width, int height, int v)
{
	static const unsigned long bars[2][8] = {
	    {0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000},
	    {0x202020, 0x4080c0, 0xc08040, 0x80c040, 0x4040a0, 0xa0a040, 0x40a0a0, 0xe0e0e0},
	};
	int bw = width / 8;
	for (int i = 0; i < 8; i++) {
		XSetForeground(d, gc, bars[v][i]);
		XFillRectangle(d, w, gc, i * bw, 0, (unsigned)(i == 7 ? width - 7 * bw : bw),
		               (unsigned)(height / 2));
	}
	for (int x = 0; x < width; x += 4) {
		int c = x * 255 / width;
		XSetForeground(d, gc, v ? rgb(255 - c, c, 128) : rgb(c, c, c));
		XFillRectangle(d, w, gc, x, height / 2, 4, (unsigned)(height / 4));
	}
	XSetForeground(d, gc, v ? 0x103060 : 0x603010);
	XFillRectangle(d, w, gc, 0, height * 3 / 4, (unsigned)width, (unsigned)(height / 4));
	XSetForeground(d, gc, 0xffffff);
	const char *text = v ? "rdpshare test picture B" : "rdpshare test picture A";
	for (int y = height * 3 / 4 + 20; y < height; y += 40) {
		XDrawString(d, w, gc, 20 + (y % 80), y, text, (int)strlen(text));
	}
	XFlush(d);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xpattern: cannot open display\n");
		return 1;
	}
	signal(SIGUSR1, on_usr1);
	int scr = DefaultScreen(d);
	int width = DisplayWidth(d, scr), height = DisplayHeight(d, scr);
	XSetWindowAttributes a = {0};
	a.override_redirect = True;
	a.background_pixel = BlackPixel(d, scr);
	Window w = XCreateWindow(d, RootWindow(d, scr), 0, 0, (unsigned)width, (unsigned)height, 0,
	                         CopyFromParent, InputOutput, CopyFromParent,
	                         CWOverrideRedirect | CWBackPixel, &a);
	XSelectInput(d, w, ExposureMask);
	XMapRaised(d, w);
	GC gc = XCreateGC(d, w, 0, NULL);
	int shown = -1;
	for (;;) {
		while (XPending(d)) {
			XEvent ev;
			XNextEvent(d, &ev);
			if (ev.type == Expose) {
				shown = -1;
			}
		}
		if (shown != variant) {
			shown = variant;
			draw(d, w, gc, width, height, shown);
			printf("drawn %c\n", shown ? 'B' : 'A');
			fflush(stdout);
		}
		usleep(20000);
	}
}
