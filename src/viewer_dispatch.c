/* rdpshare_viewer_dispatch: the network thread's events delivered on the
 * owner thread, in order, and the frame buffer brought up to date from the
 * stage just before the frame callback that names the change. */
#include <stdlib.h>
#include <string.h>

#include "viewer_internal.h"

/* The front buffer at width x height; from the stage when that has this
 * size, else black. Called with v->lock held. */
static bool front_resize(rdpshare_viewer *v, int w, int h)
{
	if (v->fw != w || v->fh != h || !v->front) {
		uint8_t *p = calloc((size_t)w * (size_t)h, 4);
		if (!p) {
			return false;
		}
		free(v->front);
		v->front = p;
		v->fw = w;
		v->fh = h;
		if (v->stage && v->sw == w && v->sh == h) {
			memcpy(p, v->stage, (size_t)w * (size_t)h * 4);
		}
	}
	return true;
}

static void deliver_frame(rdpshare_viewer *v)
{
	struct rdpshare_viewer_rect damage[VIEWER_MAX_DAMAGE];
	int n = 0;
	pthread_mutex_lock(&v->lock);
	v->frame_posted = false;
	if (!v->stage) {
		pthread_mutex_unlock(&v->lock);
		return;
	}
	bool whole = v->fw != v->sw || v->fh != v->sh || !v->front;
	if (whole) {
		free(v->front);
		v->front = NULL; /* front_resize then copies the whole stage */
		if (!front_resize(v, v->sw, v->sh)) {
			pthread_mutex_unlock(&v->lock);
			return;
		}
		damage[0] = (struct rdpshare_viewer_rect){0, 0, v->sw, v->sh};
		n = 1;
	} else {
		n = v->n_damage;
		memcpy(damage, v->damage, sizeof(damage[0]) * (size_t)n);
		for (int i = 0; i < n; i++) {
			const struct rdpshare_viewer_rect *r = &damage[i];
			for (int y = r->y; y < r->y + r->height; y++) {
				size_t off = ((size_t)y * (size_t)v->fw + (size_t)r->x) * 4;
				memcpy(v->front + off, v->stage + off, (size_t)r->width * 4);
			}
		}
	}
	v->n_damage = 0;
	v->front_updates = v->updates;
	v->front_arrived_us = v->arrived_us;
	pthread_mutex_unlock(&v->lock);
	if (n > 0 && v->cb.frame) {
		struct rdpshare_viewer_frame f;
		rdpshare_viewer_get_frame(v, &f);
		v->cb.frame(v, &f, damage, n, v->ud);
	}
}

static void size_changed(rdpshare_viewer *v, int w, int h, int bpp)
{
	pthread_mutex_lock(&v->lock);
	bool ok = front_resize(v, w, h);
	pthread_mutex_unlock(&v->lock);
	if (ok && v->cb.desktop_size_changed) {
		v->cb.desktop_size_changed(v, w, h, bpp, v->ud);
	}
}

static void deliver(rdpshare_viewer *v, struct event *ev)
{
	const struct rdpshare_viewer_callbacks *cb = &v->cb;
	const char *chan = ev->i1 >= 0 && ev->i1 < v->n_channels ? v->channels[ev->i1] : "";
	switch (ev->type) {
	case EV_V_CERT: {
		struct viewer_cert_ev *ce = ev->data;
		struct rdpshare_viewer_certificate c = ce->c;
		c.host = ce->host;
		c.kh = ce->kh[0] ? ce->kh : NULL;
		c.expected = ce->expected[0] ? ce->expected : NULL;
		c.expected_from = ce->from[0] ? ce->from : NULL;
		c.known_hosts = ce->known_hosts[0] ? ce->known_hosts : NULL;
		if (cb->certificate_checked) {
			cb->certificate_checked(v, &c, v->ud);
		}
		break;
	}
	case EV_V_CONNECTED:
		if (cb->connected) {
			cb->connected(v, v->ud);
		}
		break;
	case EV_V_AUTHENTICATED:
		v->authenticated = true;
		if (cb->authenticated) {
			cb->authenticated(v, v->ud);
		}
		size_changed(v, ev->i1, ev->i2, 32);
		break;
	case EV_V_SIZE: {
		pthread_mutex_lock(&v->lock);
		int w = v->size_w, h = v->size_h, bpp = v->size_bpp;
		v->size_posted = false;
		pthread_mutex_unlock(&v->lock);
		size_changed(v, w, h, bpp);
		break;
	}
	case EV_V_FRAME:
		deliver_frame(v);
		break;
	case EV_V_FAILED:
	case EV_V_DISCONNECTED:
		/* the network thread's last word: it is ending */
		v->authenticated = false;
		if (ev->type == EV_V_FAILED && cb->connection_failed) {
			cb->connection_failed(v, ev->i1, ev->s1 ? ev->s1 : "", v->ud);
		} else if (ev->type == EV_V_DISCONNECTED && cb->disconnected) {
			cb->disconnected(v, ev->i1, ev->i2, ev->s1 ? ev->s1 : "", v->ud);
		}
		break;
	case EV_V_MULTIPARTY:
		viewer_handle_mp(v, ev->data, ev->s1);
		break;
	case EV_V_CHANNEL_OPEN:
		if (ev->i2 && cb->channel_opened) {
			cb->channel_opened(v, chan, v->ud);
		} else if (!ev->i2 && cb->channel_closed) {
			cb->channel_closed(v, chan, v->ud);
		}
		break;
	case EV_V_CHANNEL_DATA:
		if (cb->channel_data) {
			cb->channel_data(v, chan, RDPSHARE_ATTENDEE_ID_HOST, ev->data,
			                 (size_t)ev->i2, v->ud);
		}
		break;
	case EV_V_CHANNEL_SENT:
		if (cb->channel_send_completed) {
			cb->channel_send_completed(v, chan, (size_t)ev->i2, v->ud);
		}
		break;
	case EV_V_FOCUS:
		if (cb->focus_released) {
			cb->focus_released(v, ev->i1, v->ud);
		}
		break;
	default:
		break;
	}
}

int rdpshare_viewer_dispatch(rdpshare_viewer *v)
{
	if (!v) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (!pthread_equal(pthread_self(), v->owner)) {
		return RDPSHARE_E_WRONG_THREAD;
	}
	struct event *ev = event_queue_take_all(&v->q);
	int n = 0;
	while (ev) {
		struct event *next = ev->next;
		bool last = ev->type == EV_V_FAILED || ev->type == EV_V_DISCONNECTED;
		if (last) {
			/* joined before the callback, so it may connect again */
			viewer_join_net(v);
		}
		deliver(v, ev);
		event_free(ev);
		ev = next;
		n++;
	}
	return n;
}
