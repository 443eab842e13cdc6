/* Test helper: a window covering the X display that takes the keyboard focus
 * and prints every key and button event it gets, one line each, so tests can
 * check exactly which input reached the sharer's desktop:
 *   key-press KEYSYM / key-release KEYSYM
 *   button-press N X Y / button-release N X Y
 * Prints "ready" once mapped and focused. Runs until killed. */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>

int main(void)
{
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xinputlog: cannot open display\n");
		return 1;
	}
	int s = DefaultScreen(d);
	XSetWindowAttributes wa = {
	    .override_redirect = True,
	    .background_pixel = 0x305070,
	    .event_mask = KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask |
	                  ExposureMask | StructureNotifyMask,
	};
	Window w =
	    XCreateWindow(d, RootWindow(d, s), 0, 0, (unsigned)DisplayWidth(d, s),
	                  (unsigned)DisplayHeight(d, s), 0, CopyFromParent, InputOutput,
	                  CopyFromParent, CWOverrideRedirect | CWBackPixel | CWEventMask, &wa);
	XMapRaised(d, w);
	XEvent ev;
	do {
		XNextEvent(d, &ev);
	} while (ev.type != MapNotify);
	XSetInputFocus(d, w, RevertToParent, CurrentTime);
	XSync(d, False);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		XNextEvent(d, &ev);
		switch (ev.type) {
		case KeyPress:
		case KeyRelease: {
			KeySym ks = XLookupKeysym(&ev.xkey, 0);
			const char *name = XKeysymToString(ks);
			printf("%s %s\n", ev.type == KeyPress ? "key-press" : "key-release",
			       name ? name : "?");
			break;
		}
		case ButtonPress:
		case ButtonRelease:
			printf("%s %u %d %d\n",
			       ev.type == ButtonPress ? "button-press" : "button-release",
			       ev.xbutton.button, ev.xbutton.x, ev.xbutton.y);
			break;
		default:
			continue;
		}
		fflush(stdout);
	}
}
