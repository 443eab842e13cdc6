/* What the viewer tells rdpview: certificate verdicts and connection ends
 * on stderr (with the exit status they mean), --events as JSON lines,
 * --frame-times, the window's picture, and --channel's messages out. Every
 * name the sharer chose is escaped before it reaches the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdpview.h"

static void print_json_str(const char *s)
{
	char *body = rdpshare_escape_text(s, strlen(s), RDPSHARE_ESCAPE_JSON, 0);
	printf("\"%s\"", body ? body : "");
	free(body);
}

/* s escaped for a terminal (malloc'd, at most 400 characters; NULL when memory is
 * short), "" for NULL: what the sharer or an invitation chose */
static char *term(const char *s)
{
	char *t =
	    rdpshare_escape_text(s ? s : "", s ? strlen(s) : 0, RDPSHARE_ESCAPE_TERMINAL, 400);
	return t ? t : strdup("?");
}

/* The verdict on the sharer's certificate. Host names and key hashes come
 * from the invitation or the sharer: escaped before they are printed. */
static void on_certificate(rdpshare_viewer *v, const struct rdpshare_viewer_certificate *raw,
                           void *ud)
{
	(void)v;
	struct rv *rv = ud;
	char *host = term(raw->host), *kh = term(raw->kh), *expected = term(raw->expected),
	     *file = term(raw->known_hosts);
	struct rdpshare_viewer_certificate esc = *raw;
	esc.host = host;
	esc.kh = raw->kh ? kh : NULL;
	esc.expected = raw->expected ? expected : NULL;
	esc.known_hosts = file;
	const struct rdpshare_viewer_certificate *c = &esc;
	const char *from = c->expected_from && strcmp(c->expected_from, "pinned") == 0
	                       ? "pinned by --kh"
	                       : "of this invitation";
	snprintf(rv->host, sizeof(rv->host), "%s:%d", c->host, c->port);
	switch (c->result) {
	case RDPSHARE_VIEWER_CERT_PINNED:
	case RDPSHARE_VIEWER_CERT_KNOWN:
		break;
	case RDPSHARE_VIEWER_CERT_RECORDED:
		fprintf(stderr, "rdpview: %s:%d certificate KH=%s, first use: recorded in %s\n",
		        c->host, c->port, c->kh, c->known_hosts);
		break;
	case RDPSHARE_VIEWER_CERT_NOT_RECORDED:
		fprintf(stderr,
		        "rdpview: %s:%d certificate KH=%s, first use; cannot record it in %s: %s\n",
		        c->host, c->port, c->kh, c->known_hosts, rdpshare_strerror(c->error));
		break;
	case RDPSHARE_VIEWER_CERT_UNCHECKED:
		fprintf(stderr, "rdpview: %s:%d certificate KH=%s (not checked: --insecure)\n",
		        c->host, c->port, c->kh);
		break;
	case RDPSHARE_VIEWER_CERT_MISMATCH:
		rv->kh_mismatch = true;
		if (c->expected_from && strcmp(c->expected_from, "known-hosts") == 0) {
			fprintf(
			    stderr,
			    "rdpview: WARNING: %s:%d presents another key than the one "
			    "recorded in %s line %d\n"
			    "rdpview: recorded KH %s, now KH %s\n"
			    "rdpview: someone may be posing as the sharer; nothing was sent. If "
			    "the sharer really changed its key, delete that line (or pin the "
			    "new one with --kh).\n",
			    c->host, c->port, c->known_hosts, c->line, c->expected, c->kh);
		} else {
			fprintf(stderr,
			        "rdpview: %s:%d is not the sharer %s: certificate KH %s, expected "
			        "KH %s\n",
			        c->host, c->port, from, c->kh ? c->kh : "(none)",
			        c->expected ? c->expected : "(none)");
		}
		break;
	case RDPSHARE_VIEWER_CERT_UNREADABLE:
		rv->kh_mismatch = true;
		fprintf(stderr, "rdpview: cannot read %s: %s; not connecting to %s:%d\n",
		        c->known_hosts, rdpshare_strerror(c->error), c->host, c->port);
		break;
	case RDPSHARE_VIEWER_CERT_NONE:
		rv->kh_mismatch = true;
		fprintf(stderr, "rdpview: %s:%d sent no usable certificate\n", c->host, c->port);
		break;
	}
	free(host);
	free(kh);
	free(expected);
	free(file);
}

static void on_authenticated(rdpshare_viewer *v, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	rv->authenticated = true;
	rv->t_auth_us = rv_now_us();
}

static void end(struct rv *rv, int status)
{
	rv->ended = true;
	rv->status = status;
}

static void on_failed(rdpshare_viewer *v, enum rdpshare_viewer_reason reason, const char *message,
                      void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (reason == RDPSHARE_VIEWER_LOCAL) {
		end(rv, 0);
		return;
	}
	char *m = term(message);
	fprintf(stderr, "rdpview: cannot connect: %s\n", m ? m : "?");
	free(m);
	end(rv, rv->kh_mismatch ? 3 : 1);
}

static void on_disconnected(rdpshare_viewer *v, enum rdpshare_viewer_reason reason, long ext,
                            const char *message, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (reason == RDPSHARE_VIEWER_LOCAL) {
		end(rv, 0);
		return;
	}
	char *m = term(message);
	if (ext == RDPSHARE_VIEWER_EXT_INVALID_CREDENTIALS ||
	    ext == RDPSHARE_VIEWER_EXT_SERVER_DENIED) {
		fprintf(stderr, "rdpview: the sharer refused: %s\n", m ? m : "?");
		end(rv, 4);
	} else {
		fprintf(stderr, "rdpview: the connection ended: %s\n", m ? m : "?");
		/* removed by the sharer, or the session closed */
		end(rv, ext == RDPSHARE_VIEWER_EXT_API_DISCONNECT ? 5 : 1);
	}
	free(m);
}

static void on_frame(rdpshare_viewer *v, const struct rdpshare_viewer_frame *f,
                     const struct rdpshare_viewer_rect *damage, int n, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (!rv->t_first_us) {
		rv->t_first_us = f->arrived_us;
	}
	if (rv->o->frame_times) {
		/* one line per update, merged ones at the newest one's time */
		for (uint64_t k = rv->frames_seen + 1; k <= f->updates; k++) {
			printf("{\"event\":\"frame\",\"n\":%llu,\"t_us\":%lld}\n",
			       (unsigned long long)k, (long long)f->arrived_us);
		}
		fflush(stdout);
	}
	rv->frames_seen = f->updates;
	for (int i = 0; rv->win && i < n; i++) {
		rv_window_paint(rv->win, damage[i].x, damage[i].y, damage[i].width,
		                damage[i].height);
	}
}

static void on_size(rdpshare_viewer *v, int w, int h, int bpp, void *ud)
{
	(void)v;
	(void)bpp;
	struct rv *rv = ud;
	if (rv->o->headless) {
		return;
	}
	if (!rv->win) {
		rv->win = rv_window_new(rv, w, h);
		if (!rv->win) {
			fprintf(stderr,
			        "rdpview: cannot open a window (no X display? try --headless)\n");
			rdpshare_viewer_disconnect(rv->v);
			rv->quit = true;
			rv->status = 1;
		}
	} else {
		rv_window_resize(rv->win, w, h);
	}
}

static void participant(const struct rdpshare_viewer_attendee *a, struct rv *rv)
{
	if (!rv->o->events) {
		return;
	}
	printf("{\"event\":\"participant\",\"id\":%d,\"name\":", a->id);
	print_json_str(a->name);
	printf(",\"level\":\"%s\",\"self\":%s}\n", rdpshare_ctrl_level_name(a->level),
	       a->self ? "true" : "false");
	fflush(stdout);
}

static void on_attendee(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a, void *ud)
{
	(void)v;
	participant(a, ud);
}

static void on_attendee_gone(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a,
                             int reason, int code, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (rv->o->events) {
		printf("{\"event\":\"participant_removed\",\"id\":%d,\"type\":%u,\"code\":%u}\n",
		       a->id, (unsigned)reason, (unsigned)code);
		fflush(stdout);
	}
}

static void on_level(rdpshare_viewer *v, enum rdpshare_ctrl_level level, void *ud)
{
	(void)v;
	(void)level;
	struct rv *rv = ud;
	if (rv->win) {
		rv_window_title(rv->win);
	}
}

static void on_response(rdpshare_viewer *v, enum rdpshare_ctrl_level level, long reason, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (rv->o->events) {
		printf("{\"event\":\"control_response\",\"level\":\"%s\",\"reason\":%ld}\n",
		       rdpshare_ctrl_level_name(level), reason);
		fflush(stdout);
	} else if (reason != 0) {
		fprintf(stderr, "rdpview: the sharer did not grant the request\n");
	}
}

static void stream(struct rv *rv, bool paused)
{
	if (rv->o->events) {
		printf("{\"event\":\"%s\"}\n", paused ? "paused" : "resumed");
		fflush(stdout);
	}
	if (rv->win) {
		rv_window_title(rv->win);
	}
}

static void on_paused(rdpshare_viewer *v, void *ud)
{
	(void)v;
	stream(ud, true);
}

static void on_resumed(rdpshare_viewer *v, void *ud)
{
	(void)v;
	stream(ud, false);
}

static void on_filter(rdpshare_viewer *v, bool enabled, void *ud)
{
	(void)v;
	struct rv *rv = ud;
	if (rv->o->events) {
		printf("{\"event\":\"filter\",\"enabled\":%s}\n", enabled ? "true" : "false");
		fflush(stdout);
	}
}

static void item(struct rv *rv, const struct rdpshare_viewer_share_item *it, bool window,
                 bool removed)
{
	if (!rv->o->events) {
		return;
	}
	const char *kind = window ? "window" : "app";
	if (removed) {
		printf("{\"event\":\"%s_removed\",\"id\":%ld}\n", kind, it->id);
	} else {
		printf("{\"event\":\"%s\",\"id\":%ld,", kind, it->id);
		if (window) {
			printf("\"app\":%ld,", it->app_id);
		}
		printf("\"shared\":%s,\"name\":", it->shared ? "true" : "false");
		print_json_str(it->name);
		printf("}\n");
	}
	fflush(stdout);
}

static void on_app(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *it, void *ud)
{
	(void)v;
	item(ud, it, false, false);
}

static void on_app_gone(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *it, void *ud)
{
	(void)v;
	item(ud, it, false, true);
}

static void on_window(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *it, void *ud)
{
	(void)v;
	item(ud, it, true, false);
}

static void on_window_gone(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *it,
                           void *ud)
{
	(void)v;
	item(ud, it, true, true);
}

static void on_channel_open(rdpshare_viewer *v, const char *name, void *ud)
{
	(void)v;
	(void)ud;
	fprintf(stderr, "rdpview: channel %s open\n", name);
}

/* --channel: a message per line, or length-prefixed with --binary. Into a
 * terminal the sharer's text is escaped and capped; into a pipe it goes
 * exactly as sent. */
static void on_channel_data(rdpshare_viewer *v, const char *name, int attendee_id, const void *data,
                            size_t len, void *ud)
{
	(void)v;
	(void)name;
	(void)attendee_id;
	struct rv *rv = ud;
	static int to_terminal = -1;
	if (to_terminal < 0) {
		to_terminal = isatty(STDOUT_FILENO);
	}
	if (rv->o->binary) {
		unsigned char hdr[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
		                        (unsigned char)(len >> 8), (unsigned char)len};
		fwrite(hdr, 1, 4, stdout);
		fwrite(data, 1, len, stdout);
	} else if (to_terminal) {
		char *t = rdpshare_escape_text(data, len, RDPSHARE_ESCAPE_TERMINAL, 200);
		fputs(t ? t : "?", stdout);
		fputc('\n', stdout);
		free(t);
	} else {
		fwrite(data, 1, len, stdout);
		fputc('\n', stdout);
	}
	fflush(stdout);
}

const struct rdpshare_viewer_callbacks rv_callbacks = {
    .size = sizeof(struct rdpshare_viewer_callbacks),
    .certificate_checked = on_certificate,
    .authenticated = on_authenticated,
    .connection_failed = on_failed,
    .disconnected = on_disconnected,
    .frame = on_frame,
    .desktop_size_changed = on_size,
    .attendee_connected = on_attendee,
    .attendee_update = on_attendee,
    .attendee_disconnected = on_attendee_gone,
    .control_level_changed = on_level,
    .control_level_change_response = on_response,
    .graphics_stream_paused = on_paused,
    .graphics_stream_resumed = on_resumed,
    .filter_updated = on_filter,
    .application_open = on_app,
    .application_update = on_app,
    .application_close = on_app_gone,
    .window_open = on_window,
    .window_update = on_window,
    .window_close = on_window_gone,
    .channel_opened = on_channel_open,
    .channel_data = on_channel_data,
};
