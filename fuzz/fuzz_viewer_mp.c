/* libFuzzer target for what a sharer tells a viewer on the multiparty
 * channel (src/viewer_lists.c over src/rdp/encomsp.c): each input is the
 * messages of one connection, PDU by PDU as the viewer's network thread
 * parses them, applied to the viewer's lists as dispatch applies them.
 * The lists stay within their caps, every entry has a name, our own level
 * is one of the three, and clearing frees everything (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdp/encomsp.h"
#include "viewer_internal.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

static int calls;

static void on_att(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a, void *ud)
{
	(void)v;
	(void)ud;
	check(a->name != NULL && strlen(a->name) < 4 * ENCOMSP_MAX_CHARS);
	calls++;
}

static void on_gone(rdpshare_viewer *v, const struct rdpshare_viewer_attendee *a, int r, int c,
                    void *ud)
{
	(void)r;
	(void)c;
	on_att(v, a, ud);
}

static void on_item(rdpshare_viewer *v, const struct rdpshare_viewer_share_item *it, void *ud)
{
	(void)v;
	(void)ud;
	check(it->name != NULL);
	calls++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rdpshare_viewer *v = calloc(1, sizeof(*v));
	if (!v) {
		return 0;
	}
	v->self_id = -1;
	v->cb = (struct rdpshare_viewer_callbacks){
	    .size = sizeof(v->cb),
	    .attendee_connected = on_att,
	    .attendee_update = on_att,
	    .attendee_disconnected = on_gone,
	    .application_open = on_item,
	    .application_update = on_item,
	    .application_close = on_item,
	    .window_open = on_item,
	    .window_update = on_item,
	    .window_close = on_item,
	};
	static struct encomsp_pdu pdu;
	size_t off = 0;
	while (off < size) {
		int used = encomsp_parse(data + off, size - off, &pdu);
		if (used < 0) {
			break;
		}
		check(used >= 4 && (size_t)used <= size - off);
		off += (size_t)used;
		struct viewer_mp_ev e = {pdu.type,      pdu.flags,     pdu.id,    pdu.app,
		                         pdu.disc_type, pdu.disc_code, pdu.reason};
		viewer_handle_mp(v, &e, pdu.name);
		check(v->n_att >= 0 && v->n_att <= VIEWER_MAX_ATTENDEES);
		check(v->apps.n <= VIEWER_MAX_ITEMS && v->windows.n <= VIEWER_MAX_ITEMS);
		check(v->level == RDPSHARE_CTRL_LEVEL_INVALID ||
		      v->level == RDPSHARE_CTRL_LEVEL_NONE ||
		      v->level == RDPSHARE_CTRL_LEVEL_VIEW ||
		      v->level == RDPSHARE_CTRL_LEVEL_INTERACTIVE);
		for (int i = 0; i < v->n_att; i++) {
			check(v->att[i].name != NULL);
			for (int k = 0; k < i; k++) {
				check(v->att[k].id != v->att[i].id); /* one entry per id */
			}
		}
	}
	viewer_lists_clear(v);
	free(v);
	return 0;
}
