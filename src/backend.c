/* Choosing and opening the capture back-end. The order of AUTO is the
 * public header's; what matters most is what it never does: share the
 * XWayland root of a Wayland session, which shows a black screen or a few
 * X windows while the user believes the desktop is shared. */
#include "backend.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/clipboard.h"

static bool set(const char *v)
{
	return v && *v;
}

static const char *desktop_name(void)
{
	const char *d = getenv("XDG_CURRENT_DESKTOP");
	return set(d) ? d : "unknown desktop";
}

static const char *gnome_why(int err)
{
	switch (err) {
	case -ENXIO:
		return "GNOME's org.gnome.Mutter.RemoteDesktop and ScreenCast are not on the "
		       "session bus (not a GNOME session, or DBUS_SESSION_BUS_ADDRESS points "
		       "elsewhere)";
	case -ETIMEDOUT:
		return "Mutter did not answer, or sent no picture, in time";
	case -ENOTSUP:
		return "Mutter's screen cast needs PipeWire, a monitor and the RemoteDesktop "
		       "interface, and one of them is missing (is pipewire running?)";
	default:
		return "Mutter's remote desktop session could not be started";
	}
}

int backend_resolve(const struct rdpshare_config *config, const char *display,
                    enum rdpshare_backend *out, char *why, size_t why_len)
{
	enum rdpshare_backend b = config && config->demo ? RDPSHARE_BACKEND_DEMO
	                          : config               ? config->backend
	                                                 : RDPSHARE_BACKEND_AUTO;
	if (b < RDPSHARE_BACKEND_AUTO || b > RDPSHARE_BACKEND_DEMO) {
		snprintf(why, why_len, "no such back-end (%d)", (int)b);
		return RDPSHARE_E_INVALIDARG;
	}
	why[0] = '\0';
	if (b != RDPSHARE_BACKEND_AUTO) {
		*out = b;
		return RDPSHARE_OK;
	}
	if (set(display)) {
		*out = strchr(display, ':') ? RDPSHARE_BACKEND_X11 : RDPSHARE_BACKEND_WLROOTS;
		return RDPSHARE_OK;
	}
	if (capture_gnome_available()) {
		*out = RDPSHARE_BACKEND_GNOME;
		return RDPSHARE_OK;
	}
	const char *wl = getenv("WAYLAND_DISPLAY"), *type = getenv("XDG_SESSION_TYPE");
	bool wayland = set(wl) || (type && strcmp(type, "wayland") == 0);
	char wl_why[160] = "WAYLAND_DISPLAY is not set";
	if (set(wl)) {
		int r = capture_wlroots_probe(NULL, wl_why, sizeof(wl_why));
		if (r == 0) {
			*out = RDPSHARE_BACKEND_WLROOTS;
			return RDPSHARE_OK;
		}
		if (r == -ENOMEM) {
			return RDPSHARE_E_NOMEM;
		}
	}
	if (wayland) {
		snprintf(why, why_len,
		         "this is a Wayland session (%s) that rdpshare cannot capture: GNOME's "
		         "org.gnome.Mutter.RemoteDesktop is not on the session bus, and %s; "
		         "rdpshare does not share the XWayland root in its place (use --backend "
		         "to choose one)",
		         desktop_name(), wl_why);
		return RDPSHARE_E_DISPLAY;
	}
	*out = set(getenv("DISPLAY")) ? RDPSHARE_BACKEND_X11 : RDPSHARE_BACKEND_DEMO;
	return RDPSHARE_OK;
}

int backend_open(enum rdpshare_backend b, const char *display, int demo_w, int demo_h, int fps,
                 void (*on_change)(void *ctx), void *ctx, struct capture **cap,
                 struct clipboard **board, char *why, size_t why_len)
{
	int err = 0, cerr = 0;
	*cap = NULL;
	*board = NULL;
	switch (b) {
	case RDPSHARE_BACKEND_DEMO:
		*cap = capture_demo_open(demo_w, demo_h, fps, &err);
		break;
	case RDPSHARE_BACKEND_X11:
		*cap = capture_x11_open(display, &err);
		if (!*cap) {
			const char *name = set(display) ? display : getenv("DISPLAY");
			snprintf(why, why_len,
			         err == -ENXIO
			             ? "cannot open the X display %s"
			             : "the X display %s lacks an extension rdpshare needs "
			               "(DAMAGE, XFIXES 2)",
			         set(name) ? name : "(none: DISPLAY is not set)");
		} else {
			/* no clipboard is no reason to refuse sharing: it just stays off */
			*board = clipboard_x11_open(display, on_change, ctx, &cerr);
		}
		break;
	case RDPSHARE_BACKEND_WLROOTS:
		*cap = capture_wlroots_open(display, why, why_len, &err);
		if (*cap) {
			/* wlr-data-control; without it the clipboard stays off */
			*board = clipboard_wlr_open(display, on_change, ctx, &cerr);
		}
		break;
	case RDPSHARE_BACKEND_GNOME:
		*cap = capture_gnome_open(&err);
		if (!*cap) {
			snprintf(why, why_len, "%s", gnome_why(err));
		} else {
			/* through the capture's remote desktop session; a Mutter
			 * without clipboard calls leaves it off */
			*board = capture_gnome_clipboard(*cap, on_change, ctx, &cerr);
		}
		break;
	default:
		snprintf(why, why_len, "no such back-end (%d)", (int)b);
		return RDPSHARE_E_INVALIDARG;
	}
	if (!*cap) {
		return err == -ENOMEM ? RDPSHARE_E_NOMEM : RDPSHARE_E_DISPLAY;
	}
	return RDPSHARE_OK;
}

const char *backend_no_windows_why(enum rdpshare_backend b)
{
	switch (b) {
	case RDPSHARE_BACKEND_DEMO:
		return "the demo desktop has no windows";
	case RDPSHARE_BACKEND_GNOME:
		return "GNOME tells where windows are only through gnome-shell in unsafe mode, so "
		       "rdpshare cannot show some and hide the rest";
	case RDPSHARE_BACKEND_WLROOTS:
		return "rdpshare reads the windows of a wlroots compositor from sway's IPC, and "
		       "there is none ($SWAYSOCK is not set or does not answer)";
	default:
		return "this desktop lists no windows";
	}
}

const char *rdpshare_backend_name(enum rdpshare_backend b)
{
	static const char *const names[] = {"auto", "x11", "wlroots", "gnome", "demo"};
	return b >= RDPSHARE_BACKEND_AUTO && b <= RDPSHARE_BACKEND_DEMO ? names[b] : NULL;
}

int rdpshare_backend_check(const struct rdpshare_config *config, enum rdpshare_backend *out,
                           char **why)
{
	char msg[512] = "";
	if (why) {
		*why = NULL;
	}
	if (!out || (config && (config->size < sizeof(size_t) ||
	                        config->size > sizeof(struct rdpshare_config)))) {
		return RDPSHARE_E_INVALIDARG;
	}
	struct rdpshare_config c = {0};
	if (config) {
		memcpy(&c, config, config->size);
	}
	int r = backend_resolve(&c, c.display, out, msg, sizeof(msg));
	if (r == RDPSHARE_OK && *out == RDPSHARE_BACKEND_WLROOTS) {
		int e = capture_wlroots_probe(c.display, msg, sizeof(msg));
		r = e == 0 ? RDPSHARE_OK : e == -ENOMEM ? RDPSHARE_E_NOMEM : RDPSHARE_E_DISPLAY;
	} else if (r == RDPSHARE_OK && *out == RDPSHARE_BACKEND_X11) {
		int e = capture_x11_probe(c.display);
		if (e < 0) {
			const char *name = set(c.display) ? c.display : getenv("DISPLAY");
			snprintf(msg, sizeof(msg), "cannot open the X display %s",
			         set(name) ? name : "(none: DISPLAY is not set)");
			r = RDPSHARE_E_DISPLAY;
		}
	} else if (r == RDPSHARE_OK && *out == RDPSHARE_BACKEND_GNOME &&
	           !capture_gnome_available()) {
		snprintf(msg, sizeof(msg), "%s", gnome_why(-ENXIO));
		r = RDPSHARE_E_DISPLAY;
	}
	if (r != RDPSHARE_OK && why) {
		*why = strdup(msg[0] ? msg : rdpshare_strerror(r));
		if (!*why) {
			return RDPSHARE_E_NOMEM;
		}
	}
	return r;
}
