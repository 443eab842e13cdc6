/* Benchmark helper: full-screen motion, like a video. Covers the display
 * with a gradient that moves every 1/FPS second (default 30), redrawn with
 * XPutImage so every pixel changes each frame. Runs until killed.
 *   xanim [FPS] */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fps = argc > 1 ? atoi(argv[1]) : 30;
	Display *d = XOpenDisplay(NULL);
	if (!d || fps <= 0) {
		fprintf(stderr, "xanim: no display (or bad FPS)\n");
		return 1;
	}
	int s = DefaultScreen(d);
	int w = DisplayWidth(d, s), h = DisplayHeight(d, s);
	XSetWindowAttributes a = {.override_redirect = True, .background_pixel = 0};
	Window win =
	    XCreateWindow(d, RootWindow(d, s), 0, 0, (unsigned)w, (unsigned)h, 0, CopyFromParent,
	                  InputOutput, CopyFromParent, CWOverrideRedirect | CWBackPixel, &a);
	XMapRaised(d, win);
	GC gc = XCreateGC(d, win, 0, NULL);
	uint32_t *px = malloc((size_t)w * (size_t)h * 4);
	XImage *img = XCreateImage(d, DefaultVisual(d, s), (unsigned)DefaultDepth(d, s), ZPixmap, 0,
	                           (char *)px, (unsigned)w, (unsigned)h, 32, 0);
	if (!px || !img) {
		return 1;
	}
	printf("drawing %dx%d at %d fps\n", w, h, fps);
	fflush(stdout);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (unsigned t = 0;; t += 4) {
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				unsigned v = (unsigned)(x + y) + t;
				px[(size_t)y * (size_t)w + (size_t)x] = ((v & 0xff) << 16) |
				                                        (((v >> 1) & 0xff) << 8) |
				                                        ((v * 3) & 0xff);
			}
		}
		XPutImage(d, win, gc, img, 0, 0, 0, 0, (unsigned)w, (unsigned)h);
		XSync(d, False);
		next.tv_nsec += 1000000000L / fps;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
}
