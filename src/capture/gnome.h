/* The GNOME (Mutter) capture back-end's insides, shared by its files:
 * gnome.c the capture_ops and the epoll set that the engine polls,
 * gnome_dbus.c the RemoteDesktop and ScreenCast sessions, gnome_input.c
 * input through them, gnome_clip.c the clipboard through them,
 * gnome_pw.c the PipeWire stream that fills struct gnome_desk. Everything
 * runs on the thread that calls the ops (capture.h), so nothing locks;
 * the one exception is the clipboard's shared part (clipboard_impl.h),
 * which other threads read and set under its lock. */
#ifndef RDPSHARE_CAPTURE_GNOME_H
#define RDPSHARE_CAPTURE_GNOME_H

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include "capture/capture.h"
#include "capture/damage.h"

#define GNOME_CURSOR_SIDE 96       /* capture.h's cursor limit */
#define GNOME_MAX_SIDE 16384       /* larger frames are refused before allocating */
#define GNOME_OPEN_TIMEOUT_MS 5000 /* each step of open: a D-Bus reply, the stream */

/* The desktop as the stream last showed it. */
struct gnome_desk {
	uint8_t *fb; /* w x h BGRX, stride bytes a row; NULL before the format */
	int w, h, stride;
	uint8_t *row; /* scratch for one converted row */
	struct damage dmg;
	bool changed;    /* damage or cursor changed since process() looked */
	bool have_frame; /* a frame was copied into fb */
	int cur_x, cur_y;
	bool cur_visible;
	unsigned long shape_serial; /* 0: no shape yet */
	int cw, ch, cxhot, cyhot;
	uint32_t argb[GNOME_CURSOR_SIDE * GNOME_CURSOR_SIDE];
};

/* ---- gnome_dbus.c: Mutter's sessions over the session bus (sd-bus) ---- */
struct gnome_bus;

/* Connect to the session bus, create the remote desktop session and its
 * screen cast of the first monitor with cursor metadata, start it, and wait
 * for the stream's PipeWire node. 0 and *out, or a negative errno (-ENXIO:
 * no Mutter on the bus; -ENOTSUP: Mutter lacks something we need). */
int gnome_bus_create(struct gnome_bus **out, uint32_t *node);
/* The socket, the poll events it waits for (POLLIN/POLLOUT), and the
 * absolute CLOCK_MONOTONIC deadline in microseconds (UINT64_MAX: none). */
int gnome_bus_fd(struct gnome_bus *b);
int gnome_bus_events(struct gnome_bus *b);
uint64_t gnome_bus_deadline(struct gnome_bus *b);
/* Handle what arrived. 0, or a negative errno once the session is gone
 * (Mutter closed it, left the bus, or the bus went away). */
int gnome_bus_process(struct gnome_bus *b);
/* Call member of the remote desktop session with the arguments of types,
 * without waiting for the answer (sent as "no reply expected"). */
int gnome_bus_notify(struct gnome_bus *b, const char *member, const char *types, ...);
/* The same with the reply to cb(reply, data), run from gnome_bus_process;
 * *slot (not NULL) holds the call: unref it to forget the call, and cb is
 * never run. The reply is an error one after GNOME_OPEN_TIMEOUT_MS. */
int gnome_bus_call(struct gnome_bus *b, sd_bus_slot **slot, sd_bus_message_handler_t cb, void *data,
                   const char *member, const char *types, ...);
/* The same, waiting for the answer (at most GNOME_OPEN_TIMEOUT_MS): 0, or
 * an errno as gnome_bus_create's. Signals that arrive meanwhile wait for
 * gnome_bus_process. Only while nothing else uses the bus (setting up). */
int gnome_bus_call_wait(struct gnome_bus *b, const char *member, const char *types, ...);
/* cb(message, data) from gnome_bus_process for each signal member of the
 * remote desktop session that Mutter sends, until *slot is unref'd. */
int gnome_bus_match(struct gnome_bus *b, sd_bus_slot **slot, const char *member,
                    sd_bus_message_handler_t cb, void *data);
/* The connection, for calls to others than Mutter (gnome_windows.c). */
sd_bus *gnome_bus_conn(struct gnome_bus *b);
/* The stream's object path, which absolute pointer positions refer to. */
const char *gnome_bus_stream_path(struct gnome_bus *b);
/* Stop the sessions and disconnect. NULL is fine. */
void gnome_bus_destroy(struct gnome_bus *b);

/* ---- gnome_input.c: input through the bus ---- */
struct gnome_input {
	int wheel[2];          /* wheel amounts short of a notch, per axis */
	int high_surrogate[2]; /* first halves of UTF-16 pairs, up and down */
};

/* Send in to Mutter; w x h is the desktop that pointer positions are
 * clamped to. 0, -EINVAL for what has no equivalent, or the bus's error. */
int gnome_input_inject(struct gnome_input *st, struct gnome_bus *b, const struct cap_input *in,
                       int w, int h);

/* ---- gnome_clip.c: the clipboard through the remote desktop session ---- */
struct gnome_clip;

/* Enable the session's clipboard, waiting for Mutter's answer. Two
 * holders: the capture (gnome_clip_detach) and the clipboard.h handle
 * (clipboard_close); whichever lets go last frees it. 0 and *out, or a
 * negative errno (-ENOTSUP: this Mutter has no clipboard calls). */
int gnome_clip_create(struct gnome_bus *b, void (*on_change)(void *ctx), void *ctx,
                      struct gnome_clip **out);
/* The handle for clipboard.h's calls. */
struct clipboard *gnome_clip_board(struct gnome_clip *k);
/* Readable when gnome_clip_process has work: a set, a transfer, a deadline. */
int gnome_clip_fd(struct gnome_clip *k);
/* Do that work, after gnome_bus_process; bus_state is what that returned
 * (negative: Mutter is gone, and the clipboard goes quiet for good). */
void gnome_clip_process(struct gnome_clip *k, int bus_state);
/* The capture lets go (before it destroys the bus). NULL is fine. */
void gnome_clip_detach(struct gnome_clip *k);

/* ---- gnome_windows.c: gnome-shell's windows, for the application filter ---- */
struct gnome_windows;

#define GNOME_WINDOWS_REFRESH_MS 250 /* after damage, ask again this much later */

/* Ask gnome-shell for its windows on b's bus and wait for the answer (at
 * most GNOME_OPEN_TIMEOUT_MS). 0 and *out, or a negative errno with a
 * sentence for the user in why: -ENXIO (no gnome-shell: Mutter alone),
 * -EACCES (gnome-shell refuses: not in unsafe mode), -EPROTO (an answer
 * that is no window list). Ownership: gnome_windows_destroy. */
int gnome_windows_create(struct gnome_bus *b, int stream_w, int stream_h,
                         struct gnome_windows **out, char *why, size_t why_len);
/* The picture changed: a window may have moved, which gnome-shell tells no
 * one. The list is asked for again GNOME_WINDOWS_REFRESH_MS later, once
 * however many touches come meanwhile. */
void gnome_windows_touch(struct gnome_windows *gw);
/* Readable when gnome_windows_process has a refresh to send. */
int gnome_windows_fd(struct gnome_windows *gw);
/* Send a due refresh (the answer comes through gnome_bus_process); the
 * stream is stream_w x stream_h now. Returns 1 when an answer changed the
 * list since the last call, else 0 (an answer that is no list keeps the
 * old one). */
int gnome_windows_process(struct gnome_windows *gw, int stream_w, int stream_h);
/* capture_ops.windows, .raise and .focus; raise sends and returns (0, or
 * -ENOENT for a window not in the list): the shell raises it a moment
 * later, and the list follows. */
int gnome_windows_list(struct gnome_windows *gw, const struct cap_window **out, uint64_t *serial);
int gnome_windows_raise(struct gnome_windows *gw, uint32_t id);
int gnome_windows_focus(struct gnome_windows *gw, uint32_t *id);
void gnome_windows_destroy(struct gnome_windows *gw);

/* ---- gnome_pw.c: the stream (libpipewire) ---- */
struct gnome_pw;

/* Connect to PipeWire and to node, copying its frames into desk. 0 and
 * *out, or a negative errno (-ENOTSUP: no PipeWire to connect to). */
int gnome_pw_create(struct gnome_pw **out, uint32_t node, struct gnome_desk *desk);
/* The loop's descriptor: readable when process has work. */
int gnome_pw_fd(struct gnome_pw *p);
/* Run what is ready without blocking. 0, or a negative errno once the
 * stream is gone. */
int gnome_pw_process(struct gnome_pw *p);
void gnome_pw_destroy(struct gnome_pw *p);

#endif
