/* Mutter's remote desktop over the session bus, the way GNOME Remote
 * Desktop uses it: a RemoteDesktop session (input), a ScreenCast session
 * tied to it by its SessionId, a monitor stream with the cursor as
 * metadata, and the Notify* calls for input.
 *
 * Mutter ties both sessions to our bus connection: if we vanish it closes
 * them, and if it closes them (or leaves the bus) we say so from
 * gnome_bus_process(). Setting up waits for Mutter's replies (bounded by
 * GNOME_OPEN_TIMEOUT_MS each); input (gnome_input.c) never waits: each
 * Notify* goes out flagged "no reply expected". */
#include "capture/gnome.h"

#include <errno.h>
#include <linux/input-event-codes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#define RD_NAME "org.gnome.Mutter.RemoteDesktop"
#define RD_PATH "/org/gnome/Mutter/RemoteDesktop"
#define RD_SESSION RD_NAME ".Session"
#define SC_NAME "org.gnome.Mutter.ScreenCast"
#define SC_PATH "/org/gnome/Mutter/ScreenCast"
#define SC_SESSION SC_NAME ".Session"
#define SC_STREAM SC_NAME ".Stream"
#define DC_NAME "org.gnome.Mutter.DisplayConfig"
#define DC_PATH "/org/gnome/Mutter/DisplayConfig"
#define CURSOR_MODE_METADATA 2u
#define CONNECTOR_MAX 64
#define PATH_MAX_LEN 256

struct gnome_bus {
	sd_bus *bus;
	char mutter[PATH_MAX_LEN]; /* Mutter's unique name: calls go to, signals come from it */
	char rd_path[PATH_MAX_LEN], sc_path[PATH_MAX_LEN], stream_path[PATH_MAX_LEN];
	sd_bus_slot *slots[4]; /* the signal matches */
	bool have_node;
	uint32_t node;
	int dead; /* 0, or what gnome_bus_process reports from now on */
};

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A D-Bus error as errno: the interface missing means this Mutter lacks
 * what we need; the name missing, that there is no Mutter. */
static int bus_errno(const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_METHOD) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_INTERFACE) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_UNKNOWN_OBJECT) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_INVALID_ARGS)) {
		return -ENOTSUP;
	}
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
		return -ENXIO;
	}
	return r < 0 ? r : -EIO;
}

static int copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size) {
		return -ENAMETOOLONG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

/* The unique name owning name, or -ENXIO when nobody does. */
static int name_owner(sd_bus *bus, const char *name, char *out, size_t size)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                           "org.freedesktop.DBus", "GetNameOwner", &e, &reply, "s", name);
	const char *owner = NULL;
	if (r >= 0) {
		r = sd_bus_message_read(reply, "s", &owner);
	}
	if (r >= 0) {
		r = copy_str(out, size, owner);
	} else {
		r = bus_errno(&e, r);
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return r;
}

/* A method that returns one object path, copied to out. */
static int call_for_path(struct gnome_bus *b, sd_bus_message *m, char *out, size_t size)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call(b->bus, m, 0, &e, &reply);
	const char *path = NULL;
	if (r >= 0) {
		r = sd_bus_message_read(reply, "o", &path);
	}
	if (r >= 0) {
		r = copy_str(out, size, path);
	} else {
		r = bus_errno(&e, r);
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return r;
}

static int call_simple(struct gnome_bus *b, const char *path, const char *iface, const char *member)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = sd_bus_call_method(b->bus, b->mutter, path, iface, member, &e, NULL, "");
	if (r < 0) {
		r = bus_errno(&e, r);
	}
	sd_bus_error_free(&e);
	return r;
}

/* One (ssss) monitor spec: keep its connector if none is kept yet. */
static int read_spec(sd_bus_message *m, char *connector, size_t size)
{
	const char *c = NULL, *vendor, *product, *serial;
	int r = sd_bus_message_read(m, "(ssss)", &c, &vendor, &product, &serial);
	if (r > 0 && !connector[0] && copy_str(connector, size, c) < 0) {
		return -ENAMETOOLONG;
	}
	return r;
}

/* The connector to record: the primary logical monitor's first, else the
 * first monitor's. GetCurrentState returns (u serial, a((ssss)a(mode)a{sv})
 * monitors, a(iiduba(ssss)a{sv}) logical monitors, a{sv} properties). */
static int parse_state(sd_bus_message *m, char *connector, size_t size)
{
	char first[CONNECTOR_MAX] = "";
	uint32_t serial;
	int r = sd_bus_message_read(m, "u", &serial);
	if (r >= 0) {
		r = sd_bus_message_enter_container(m, 'a', "((ssss)a(siiddada{sv})a{sv})");
	}
	while (r >= 0 &&
	       (r = sd_bus_message_enter_container(m, 'r', "(ssss)a(siiddada{sv})a{sv}")) > 0) {
		r = read_spec(m, first, sizeof(first));
		if (r >= 0) {
			r = sd_bus_message_skip(m, "a(siiddada{sv})a{sv}");
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(m);
		}
	}
	if (r >= 0) {
		r = sd_bus_message_exit_container(m);
	}
	if (r >= 0) {
		r = sd_bus_message_enter_container(m, 'a', "(iiduba(ssss)a{sv})");
	}
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'r', "iiduba(ssss)a{sv}")) > 0) {
		int32_t x, y;
		double scale;
		uint32_t transform;
		int primary = 0;
		r = sd_bus_message_read(m, "iidub", &x, &y, &scale, &transform, &primary);
		if (r >= 0) {
			r = sd_bus_message_enter_container(m, 'a', "(ssss)");
		}
		if (r >= 0 && primary) {
			r = read_spec(m, connector, size);
		}
		if (r >= 0) {
			r = sd_bus_message_skip(m, "a(ssss)");
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(m);
		}
		if (r >= 0) {
			r = sd_bus_message_skip(m, "a{sv}");
		}
		if (r >= 0) {
			r = sd_bus_message_exit_container(m);
		}
	}
	if (r < 0) {
		return r;
	}
	if (!connector[0]) {
		if (!first[0]) {
			return -ENOTSUP; /* no monitor to record */
		}
		return copy_str(connector, size, first);
	}
	return 0;
}

static int find_connector(struct gnome_bus *b, char *connector, size_t size)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int r = sd_bus_call_method(b->bus, b->mutter, DC_PATH, DC_NAME, "GetCurrentState", &e,
	                           &reply, "");
	if (r < 0) {
		r = bus_errno(&e, r);
	} else {
		connector[0] = '\0';
		r = parse_state(reply, connector, size);
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return r;
}

/* ---- signals ---- */

static int on_closed(sd_bus_message *m, void *data, sd_bus_error *e)
{
	(void)m;
	(void)e;
	struct gnome_bus *b = data;
	b->dead = -EPIPE;
	return 0;
}

static int on_owner_changed(sd_bus_message *m, void *data, sd_bus_error *e)
{
	(void)e;
	struct gnome_bus *b = data;
	const char *name, *old_owner, *new_owner;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) >= 0 &&
	    strcmp(old_owner, b->mutter) == 0) {
		b->dead = -EPIPE; /* Mutter left (or restarted): our sessions are gone */
	}
	return 0;
}

static int on_stream_added(sd_bus_message *m, void *data, sd_bus_error *e)
{
	(void)e;
	struct gnome_bus *b = data;
	uint32_t node;
	if (sd_bus_message_read(m, "u", &node) > 0) {
		b->node = node;
		b->have_node = true;
	}
	return 0;
}

static int subscribe(struct gnome_bus *b)
{
	char rule[512];
	int n = snprintf(rule, sizeof(rule),
	                 "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/"
	                 "DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',"
	                 "arg0='%s'",
	                 RD_NAME);
	if (n < 0 || (size_t)n >= sizeof(rule)) {
		return -ENAMETOOLONG;
	}
	int r = sd_bus_add_match(b->bus, &b->slots[0], rule, on_owner_changed, b);
	if (r >= 0) {
		r = sd_bus_match_signal(b->bus, &b->slots[1], b->mutter, b->rd_path, RD_SESSION,
		                        "Closed", on_closed, b);
	}
	if (r >= 0) {
		r = sd_bus_match_signal(b->bus, &b->slots[2], b->mutter, b->sc_path, SC_SESSION,
		                        "Closed", on_closed, b);
	}
	if (r >= 0) {
		r = sd_bus_match_signal(b->bus, &b->slots[3], b->mutter, b->stream_path, SC_STREAM,
		                        "PipeWireStreamAdded", on_stream_added, b);
	}
	return r < 0 ? r : 0;
}

/* ---- setting up ---- */

/* The remote desktop session's SessionId, read into out (bounded: Mutter
 * chooses its length). */
static int session_id(struct gnome_bus *b, char *out, size_t size)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *id = NULL;
	int r = sd_bus_get_property(b->bus, b->mutter, b->rd_path, RD_SESSION, "SessionId", &e,
	                            &reply, "s");
	if (r >= 0) {
		r = sd_bus_message_read(reply, "s", &id); /* already inside the variant */
	} else {
		r = bus_errno(&e, r);
	}
	if (r >= 0) {
		r = copy_str(out, size, id);
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	return r;
}

static int create_sessions(struct gnome_bus *b)
{
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_call(b->bus, &m, b->mutter, RD_PATH, RD_NAME,
	                                       "CreateSession");
	if (r >= 0) {
		r = call_for_path(b, m, b->rd_path, sizeof(b->rd_path));
	}
	m = sd_bus_message_unref(m);
	char id[PATH_MAX_LEN] = "";
	if (r >= 0) {
		r = session_id(b, id, sizeof(id));
	}
	if (r >= 0) {
		r = sd_bus_message_new_method_call(b->bus, &m, b->mutter, SC_PATH, SC_NAME,
		                                   "CreateSession");
	}
	if (r >= 0) {
		r = sd_bus_message_append(m, "a{sv}", 1, "remote-desktop-session-id", "s", id);
	}
	if (r >= 0) {
		r = call_for_path(b, m, b->sc_path, sizeof(b->sc_path));
	}
	m = sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}

static int record_monitor(struct gnome_bus *b)
{
	char connector[CONNECTOR_MAX];
	int r = find_connector(b, connector, sizeof(connector));
	sd_bus_message *m = NULL;
	if (r >= 0) {
		r = sd_bus_message_new_method_call(b->bus, &m, b->mutter, b->sc_path, SC_SESSION,
		                                   "RecordMonitor");
	}
	if (r >= 0) {
		r = sd_bus_message_append(m, "sa{sv}", connector, 1, "cursor-mode", "u",
		                          CURSOR_MODE_METADATA);
	}
	if (r >= 0) {
		r = call_for_path(b, m, b->stream_path, sizeof(b->stream_path));
	}
	sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}

/* Pump the bus until the stream's node is announced. */
static int wait_node(struct gnome_bus *b)
{
	uint64_t end = now_us() + GNOME_OPEN_TIMEOUT_MS * 1000ull;
	while (!b->have_node) {
		int r = gnome_bus_process(b);
		if (r < 0) {
			return r;
		}
		if (b->have_node) {
			break;
		}
		uint64_t now = now_us();
		if (now >= end) {
			return -ETIMEDOUT;
		}
		r = sd_bus_wait(b->bus, end - now);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

/* Mutter creates the session's virtual keyboard at its first key press;
 * the keyboard then appears on the seat, and that first key reaches no
 * application, because none has a keyboard with focus yet. Press and
 * release KEY_RESERVED (no layout gives it a symbol) now, while nobody
 * types, so the first real key finds the keyboard in place. */
static int warm_up_keyboard(struct gnome_bus *b)
{
	int r = gnome_bus_notify(b, "NotifyKeyboardKeycode", "ub", (uint32_t)KEY_RESERVED, 1);
	return r < 0
	           ? r
	           : gnome_bus_notify(b, "NotifyKeyboardKeycode", "ub", (uint32_t)KEY_RESERVED, 0);
}

/* The same holds for the virtual pointer on a seat without a mouse (a
 * headless GNOME): it appears at its first motion, and a click right after
 * that motion reaches no client, which has no wl_pointer yet. A relative
 * motion of nothing makes it appear without moving anything. */
static int warm_up_pointer(struct gnome_bus *b)
{
	return gnome_bus_notify(b, "NotifyPointerMotionRelative", "dd", 0.0, 0.0);
}

int gnome_bus_create(struct gnome_bus **out, uint32_t *node)
{
	struct gnome_bus *b = calloc(1, sizeof(*b));
	if (!b) {
		return -ENOMEM;
	}
	int r = sd_bus_open_user(&b->bus);
	if (r < 0) {
		r = -ENXIO; /* no session bus: no Mutter either */
		goto fail;
	}
	r = sd_bus_set_method_call_timeout(b->bus, GNOME_OPEN_TIMEOUT_MS * 1000ull);
	if (r >= 0) {
		char sc_owner[PATH_MAX_LEN];
		r = name_owner(b->bus, RD_NAME, b->mutter, sizeof(b->mutter));
		if (r >= 0) {
			r = name_owner(b->bus, SC_NAME, sc_owner, sizeof(sc_owner));
		}
		if (r >= 0 && strcmp(sc_owner, b->mutter) != 0) {
			r = -ENOTSUP; /* the two sessions can only be tied inside one Mutter */
		}
	}
	if (r >= 0) {
		r = create_sessions(b);
	}
	if (r >= 0) {
		r = record_monitor(b);
	}
	if (r >= 0) {
		r = subscribe(b);
	}
	if (r >= 0) {
		r = call_simple(b, b->rd_path, RD_SESSION, "Start");
	}
	if (r >= 0) {
		r = warm_up_keyboard(b);
	}
	if (r >= 0) {
		r = warm_up_pointer(b);
	}
	if (r >= 0) {
		r = wait_node(b);
	}
	if (r < 0) {
		goto fail;
	}
	*node = b->node;
	*out = b;
	return 0;
fail:
	gnome_bus_destroy(b);
	return r;
}

/* ---- driving it from the engine's poll loop ---- */

int gnome_bus_fd(struct gnome_bus *b)
{
	return sd_bus_get_fd(b->bus);
}

int gnome_bus_events(struct gnome_bus *b)
{
	int ev = sd_bus_get_events(b->bus);
	return ev < 0 ? POLLIN : ev;
}

uint64_t gnome_bus_deadline(struct gnome_bus *b)
{
	uint64_t t = UINT64_MAX;
	if (sd_bus_get_timeout(b->bus, &t) < 0) {
		return UINT64_MAX;
	}
	return t;
}

int gnome_bus_process(struct gnome_bus *b)
{
	/* Bounded, so a flood of signals cannot keep the engine here: the
	 * socket stays readable (or the deadline due) and we come back. */
	for (int i = 0; i < 256 && !b->dead; i++) {
		int r = sd_bus_process(b->bus, NULL);
		if (r < 0) {
			b->dead = r == -ENOTCONN || r == -ECONNRESET ? -EPIPE : r;
			break;
		}
		if (r == 0) {
			break;
		}
	}
	return b->dead;
}

/* ---- calls and signals of the remote desktop session ---- */

/* A method call of the remote desktop session with its arguments. */
static int new_call(struct gnome_bus *b, sd_bus_message **m, const char *member, const char *types,
                    va_list ap)
{
	if (b->dead) {
		return b->dead;
	}
	int r =
	    sd_bus_message_new_method_call(b->bus, m, b->mutter, b->rd_path, RD_SESSION, member);
	return r < 0 ? r : sd_bus_message_appendv(*m, types, ap);
}

int gnome_bus_notify(struct gnome_bus *b, const char *member, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	va_start(ap, types);
	int r = new_call(b, &m, member, types, ap);
	va_end(ap);
	/* No callback, no slot: sent as "no reply expected". */
	r = r < 0 ? r : sd_bus_call_async(b->bus, NULL, m, NULL, NULL, 0);
	sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}

int gnome_bus_call(struct gnome_bus *b, sd_bus_slot **slot, sd_bus_message_handler_t cb, void *data,
                   const char *member, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	va_start(ap, types);
	int r = new_call(b, &m, member, types, ap);
	va_end(ap);
	/* the reply's timeout is the connection's (GNOME_OPEN_TIMEOUT_MS) */
	r = r < 0 ? r : sd_bus_call_async(b->bus, slot, m, cb, data, 0);
	sd_bus_message_unref(m);
	return r < 0 ? r : 0;
}

int gnome_bus_call_wait(struct gnome_bus *b, const char *member, const char *types, ...)
{
	sd_bus_message *m = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	va_list ap;
	va_start(ap, types);
	int r = new_call(b, &m, member, types, ap);
	va_end(ap);
	if (r >= 0) {
		/* what arrives meanwhile stays queued for gnome_bus_process */
		r = sd_bus_call(b->bus, m, 0, &e, NULL);
		r = r < 0 ? bus_errno(&e, r) : 0;
	}
	sd_bus_message_unref(m);
	sd_bus_error_free(&e);
	return r;
}

int gnome_bus_match(struct gnome_bus *b, sd_bus_slot **slot, const char *member,
                    sd_bus_message_handler_t cb, void *data)
{
	if (b->dead) {
		return b->dead;
	}
	int r =
	    sd_bus_match_signal(b->bus, slot, b->mutter, b->rd_path, RD_SESSION, member, cb, data);
	return r < 0 ? r : 0;
}

sd_bus *gnome_bus_conn(struct gnome_bus *b)
{
	return b->bus;
}

const char *gnome_bus_stream_path(struct gnome_bus *b)
{
	return b->stream_path;
}

void gnome_bus_destroy(struct gnome_bus *b)
{
	if (!b) {
		return;
	}
	for (size_t i = 0; i < sizeof(b->slots) / sizeof(b->slots[0]); i++) {
		sd_bus_slot_unref(b->slots[i]);
	}
	if (b->bus) {
		if (!b->dead && b->rd_path[0]) {
			/* Stopping the remote desktop session stops its screen
			 * cast too; closing the connection alone would make Mutter
			 * do the same, this says it at once. */
			sd_bus_message *m = NULL;
			if (sd_bus_message_new_method_call(b->bus, &m, b->mutter, b->rd_path,
			                                   RD_SESSION, "Stop") >= 0) {
				sd_bus_call_async(b->bus, NULL, m, NULL, NULL, 0);
			}
			sd_bus_message_unref(m);
		}
		sd_bus_flush_close_unref(b->bus);
	}
	free(b);
}

bool capture_gnome_available(void)
{
	sd_bus *bus = NULL;
	if (sd_bus_open_user(&bus) < 0) {
		return false;
	}
	int has = 0;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	/* The connection's set-up and the call share this bound. */
	if (sd_bus_set_method_call_timeout(bus, 1000 * 1000) >= 0 &&
	    sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                       "org.freedesktop.DBus", "NameHasOwner", &e, &reply, "s",
	                       RD_NAME) >= 0 &&
	    sd_bus_message_read(reply, "b", &has) < 0) {
		has = 0;
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&e);
	sd_bus_flush_close_unref(bus);
	return has != 0;
}
