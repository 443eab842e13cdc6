/* What the sharer tells viewers on the multiparty channel (MS-RDPEMC),
 * kept on the owner thread: the attendees, our own level and id, pause,
 * and the application filter's applications and windows. A participant
 * announced again is an update (that is how a sharer tells a new level). */
#include <stdlib.h>
#include <string.h>

#include "rdp/encomsp.h"
#include "viewer_internal.h"

static enum rdpshare_ctrl_level level_of(uint16_t flags)
{
	return (flags & ENCOMSP_MAY_INTERACT) ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
	       : (flags & ENCOMSP_MAY_VIEW)   ? RDPSHARE_CTRL_LEVEL_VIEW
	                                      : RDPSHARE_CTRL_LEVEL_NONE;
}

/* Room for one more element in an array of n (capacity *cap, at most max):
 * the array, perhaps moved, or NULL when it is full or memory is short (the
 * entry is then ignored; the array is unchanged). */
static void *grow(void *arr, int n, int *cap, size_t elem, int max)
{
	if (n >= max) {
		return NULL;
	}
	if (n < *cap) {
		return arr;
	}
	int c = *cap ? 2 * *cap : 8;
	void *p = realloc(arr, elem * (size_t)c);
	if (p) {
		*cap = c;
	}
	return p;
}

static int find_att(const rdpshare_viewer *v, int id)
{
	for (int i = 0; i < v->n_att; i++) {
		if (v->att[i].id == id) {
			return i;
		}
	}
	return -1;
}

static void participant(rdpshare_viewer *v, const struct viewer_mp_ev *e, const char *name)
{
	const struct rdpshare_viewer_callbacks *cb = &v->cb;
	int i = find_att(v, (int)e->id);
	bool is_new = i < 0;
	char *copy = strdup(name);
	if (!copy) {
		return;
	}
	if (is_new) {
		void *p =
		    grow(v->att, v->n_att, &v->cap_att, sizeof(*v->att), VIEWER_MAX_ATTENDEES);
		if (!p) {
			free(copy);
			return;
		}
		v->att = p;
		i = v->n_att++;
		v->att[i] = (struct rdpshare_viewer_attendee){.id = (int)e->id};
	} else {
		free((char *)v->att[i].name);
	}
	struct rdpshare_viewer_attendee *a = &v->att[i];
	a->name = copy;
	a->level = level_of(e->flags);
	a->self = e->flags & ENCOMSP_IS_PARTICIPANT;
	bool level_changed = a->self && v->level != a->level;
	if (a->self) {
		v->self_id = a->id;
		v->level = a->level;
	}
	if (is_new && cb->attendee_connected) {
		cb->attendee_connected(v, a, v->ud);
	} else if (!is_new && cb->attendee_update) {
		cb->attendee_update(v, a, v->ud);
	}
	if (level_changed && cb->control_level_changed) {
		cb->control_level_changed(v, v->level, v->ud);
	}
}

static void participant_removed(rdpshare_viewer *v, const struct viewer_mp_ev *e)
{
	int i = find_att(v, (int)e->id);
	if (i < 0) {
		struct rdpshare_viewer_attendee unknown = {.id = (int)e->id, .name = ""};
		if (v->cb.attendee_disconnected) {
			v->cb.attendee_disconnected(v, &unknown, (int)e->disc_type,
			                            (int)e->disc_code, v->ud);
		}
		return;
	}
	if (v->cb.attendee_disconnected) {
		v->cb.attendee_disconnected(v, &v->att[i], (int)e->disc_type, (int)e->disc_code,
		                            v->ud);
	}
	free((char *)v->att[i].name);
	v->att[i] = v->att[--v->n_att];
}

static int find_item(const struct viewer_list *l, long id)
{
	for (int i = 0; i < l->n; i++) {
		if (l->items[i].id == id) {
			return i;
		}
	}
	return -1;
}

typedef void (*item_cb)(rdpshare_viewer *, const struct rdpshare_viewer_share_item *, void *);

static void item_created(rdpshare_viewer *v, struct viewer_list *l, const struct viewer_mp_ev *e,
                         const char *name, item_cb open, item_cb update)
{
	bool window = l == &v->windows;
	int i = find_item(l, (long)e->id);
	char *copy = strdup(name);
	if (!copy) {
		return;
	}
	if (i < 0) {
		void *p = grow(l->items, l->n, &l->cap, sizeof(*l->items), VIEWER_MAX_ITEMS);
		if (!p) {
			free(copy);
			return;
		}
		l->items = p;
		i = l->n++;
		l->items[i] = (struct rdpshare_viewer_share_item){.id = (long)e->id};
	} else {
		free((char *)l->items[i].name);
		open = update;
	}
	struct rdpshare_viewer_share_item *it = &l->items[i];
	it->name = copy;
	it->app_id = window ? (long)e->app : 0;
	it->shared = e->flags & (window ? ENCOMSP_WND_SHARED : ENCOMSP_APP_SHARED);
	if (open) {
		open(v, it, v->ud);
	}
}

static void item_removed(rdpshare_viewer *v, struct viewer_list *l, long id, item_cb close_cb)
{
	int i = find_item(l, id);
	if (i < 0) {
		return;
	}
	if (close_cb) {
		close_cb(v, &l->items[i], v->ud);
	}
	free((char *)l->items[i].name);
	l->items[i] = l->items[--l->n];
}

void viewer_handle_mp(rdpshare_viewer *v, const struct viewer_mp_ev *e, const char *name)
{
	const struct rdpshare_viewer_callbacks *cb = &v->cb;
	switch (e->type) {
	case ENCOMSP_PARTICIPANT_CREATED:
		participant(v, e, name);
		break;
	case ENCOMSP_PARTICIPANT_REMOVED:
		participant_removed(v, e);
		break;
	case ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE:
		if (cb->control_level_change_response) {
			enum rdpshare_ctrl_level level =
			    (e->flags & ENCOMSP_REQUEST_INTERACT) ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
			    : (e->flags & ENCOMSP_REQUEST_VIEW)   ? RDPSHARE_CTRL_LEVEL_VIEW
			                                          : RDPSHARE_CTRL_LEVEL_NONE;
			cb->control_level_change_response(v, level, (long)e->reason, v->ud);
		}
		break;
	case ENCOMSP_GRAPHICS_STREAM_PAUSED:
	case ENCOMSP_GRAPHICS_STREAM_RESUMED:
		v->paused = e->type == ENCOMSP_GRAPHICS_STREAM_PAUSED;
		if (v->paused && cb->graphics_stream_paused) {
			cb->graphics_stream_paused(v, v->ud);
		} else if (!v->paused && cb->graphics_stream_resumed) {
			cb->graphics_stream_resumed(v, v->ud);
		}
		break;
	case ENCOMSP_FILTER_STATE_UPDATED:
		v->filter = e->flags & ENCOMSP_FILTER_ENABLED;
		if (cb->filter_updated) {
			cb->filter_updated(v, v->filter, v->ud);
		}
		break;
	case ENCOMSP_APP_CREATED:
		item_created(v, &v->apps, e, name, cb->application_open, cb->application_update);
		break;
	case ENCOMSP_WND_CREATED:
		item_created(v, &v->windows, e, name, cb->window_open, cb->window_update);
		break;
	case ENCOMSP_APP_REMOVED:
		item_removed(v, &v->apps, (long)e->id, cb->application_close);
		break;
	case ENCOMSP_WND_REMOVED:
		item_removed(v, &v->windows, (long)e->id, cb->window_close);
		break;
	default:
		break;
	}
}

static void list_clear(struct viewer_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free((char *)l->items[i].name);
	}
	free(l->items);
	*l = (struct viewer_list){0};
}

void viewer_lists_clear(rdpshare_viewer *v)
{
	for (int i = 0; i < v->n_att; i++) {
		free((char *)v->att[i].name);
	}
	free(v->att);
	v->att = NULL;
	v->n_att = v->cap_att = 0;
	list_clear(&v->apps);
	list_clear(&v->windows);
	v->self_id = -1;
	v->level = RDPSHARE_CTRL_LEVEL_INVALID;
	v->paused = v->filter = false;
}
