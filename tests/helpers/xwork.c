/* Benchmark helper: reproducible desktop workloads on $DISPLAY, running
 * until killed.
 *   xwork typing [CPS]  an 800x600 terminal-like window typing text at CPS
 *                       characters a second (default 8) on its bottom line
 *                       (about 130 characters), scrolling up a line at each
 *                       line's end; prints
 *                       "typed t_us=T" (CLOCK_MONOTONIC, after the X server
 *                       drew it) for every character
 *   xwork drag [FPS]    a 480x360 window dragged around the screen at FPS
 *                       moves a second (default 30) */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char text[] = "The quick brown fox jumps over the lazy dog; sharing a screen "
                           "should cost nothing while nothing moves. 0123456789 ";

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void tick(struct timespec *next, int per_second)
{
	next->tv_nsec += 1000000000L / per_second;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
}

static Window make_window(Display *d, int x, int y, int w, int h, unsigned long bg)
{
	int s = DefaultScreen(d);
	XSetWindowAttributes a = {.override_redirect = True, .background_pixel = bg};
	Window win =
	    XCreateWindow(d, RootWindow(d, s), x, y, (unsigned)w, (unsigned)h, 0, CopyFromParent,
	                  InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XMapRaised(d, win);
	XSync(d, False);
	return win;
}

static int typing(Display *d, int cps)
{
	const int w = 800, h = 600, line = 16, margin = 8;
	Window win = make_window(d, 100, 100, w, h, 0x202020);
	GC gc = XCreateGC(d, win, 0, NULL);
	XFontStruct *font = XLoadQueryFont(d, "fixed");
	if (!font) {
		fprintf(stderr, "xwork: no 'fixed' font\n");
		return 1;
	}
	XSetFont(d, gc, font->fid);
	XSetForeground(d, gc, 0xd0d0d0);
	XSetBackground(d, gc, 0x202020);
	int cw = font->max_bounds.width, x = margin;
	int y = h - line + font->ascent; /* the prompt line at the bottom */
	printf("typing at %d cps\n", cps);
	fflush(stdout);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (size_t i = 0;; i++) {
		char c = text[i % (sizeof(text) - 1)];
		if (x + cw > w - margin) {
			x = margin;
			y += line;
			if (y + line > h) {
				/* scroll one line, as a terminal does */
				XCopyArea(d, win, win, gc, 0, line, (unsigned)w,
				          (unsigned)(h - line), 0, 0);
				XClearArea(d, win, 0, h - line, (unsigned)w, (unsigned)line, False);
				y -= line;
			}
		}
		XDrawImageString(d, win, gc, x, y, &c, 1);
		x += cw;
		XSync(d, False);
		printf("typed t_us=%lld\n", (long long)now_us());
		fflush(stdout);
		tick(&next, cps);
	}
	return 0; /* not reached */
}

static int drag(Display *d, int fps)
{
	int s = DefaultScreen(d);
	int sw = DisplayWidth(d, s), sh = DisplayHeight(d, s);
	const int w = 480, h = 360;
	Window win = make_window(d, 0, 0, w, h, 0xe0e0e0);
	GC gc = XCreateGC(d, win, 0, NULL);
	printf("dragging at %d fps\n", fps);
	fflush(stdout);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	int x = 0, y = 0, dx = 12, dy = 7;
	for (;;) {
		x += dx;
		y += dy;
		if (x < 0 || x + w > sw) {
			dx = -dx;
			x += 2 * dx;
		}
		if (y < 0 || y + h > sh) {
			dy = -dy;
			y += 2 * dy;
		}
		XMoveWindow(d, win, x, y);
		/* redrawn after every move, as an application answers Expose:
		 * bars and text that the encoder has to carry along */
		for (int i = 0; i < 8; i++) {
			XSetForeground(d, gc, (0x204080u * (unsigned)(i + 1)) & 0xffffff);
			XFillRectangle(d, win, gc, i * 60, 40, 50, 200);
		}
		XSetForeground(d, gc, 0);
		for (int yy = 260; yy < h; yy += 16) {
			XDrawString(d, win, gc, 10, yy, text, 60);
		}
		XSync(d, False);
		tick(&next, fps);
	}
	return 0; /* not reached: killed by the benchmark */
}

int main(int argc, char **argv)
{
	Display *d = XOpenDisplay(NULL);
	if (!d || argc < 2) {
		fprintf(stderr, "usage: xwork typing [CPS] | drag [FPS]  (needs $DISPLAY)\n");
		return 1;
	}
	int rate = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0;
	if (strcmp(argv[1], "typing") == 0) {
		return typing(d, rate > 0 ? rate : 8);
	}
	if (strcmp(argv[1], "drag") == 0) {
		return drag(d, rate > 0 ? rate : 30);
	}
	fprintf(stderr, "xwork: unknown workload %s\n", argv[1]);
	return 1;
}
