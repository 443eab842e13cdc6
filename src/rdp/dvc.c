#include "rdp/dvc.h"

#include <freerdp/channels/wtsvc.h>
#include <stdlib.h>
#include <winpr/wtsapi.h>

void dvc_init(struct dvc_set *d, HANDLE vcm)
{
	d->vcm = vcm;
	LPSTR buf = NULL;
	DWORD len = 0;
	if (WTSQuerySessionInformationA(vcm, WTS_CURRENT_SESSION, WTSSessionId, &buf, &len) &&
	    buf && len >= sizeof(ULONG)) {
		d->session_id = *(ULONG *)buf;
	}
	WTSFreeMemory(buf);
}

/* TRUE: open; FALSE with *pending: still being created; else failed/closed. */
static bool ready(HANDLE h, bool *pending)
{
	void *buf = NULL;
	DWORD len = 0;
	BOOL ok = WTSVirtualChannelQuery(h, WTSVirtualChannelReady, &buf, &len);
	BOOL open = ok && buf && len >= sizeof(BOOL) && *(BOOL *)buf;
	WTSFreeMemory(buf);
	*pending = ok && !open;
	return open;
}

static void read_all(struct dvc_set *d, int i, rdpshare_session *s, rdpshare_attendee *a)
{
	rdpshare_channel *ch = s->channels[i];
	for (;;) {
		ULONG len = 0;
		if (!WTSVirtualChannelRead(d->ch[i].h, 0, NULL, 0, &len) || len == 0) {
			return;
		}
		char *buf = malloc(len);
		ULONG got = 0;
		if (!buf || !WTSVirtualChannelRead(d->ch[i].h, 0, buf, len, &got)) {
			free(buf);
			return;
		}
		size_t max = (channel_flags(ch) & RDPSHARE_CHANNEL_FLAGS_LEGACY)
		                 ? RDPSHARE_CHANNEL_MAX_MESSAGE_LEGACY
		                 : RDPSHARE_CHANNEL_MAX_MESSAGE;
		if (got > max) {
			atomic_fetch_add(&a->channel_dropped, 1); /* over the API's limit */
		} else if (rdpshare_channel_get_access(ch, a->id) ==
		           RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE) {
			session_post_channel_event(s, EV_CHANNEL_DATA, ch, a, buf, got);
		} else {
			d->dropped++; /* no access: never reaches the application */
			atomic_fetch_add(&a->channel_dropped, 1);
		}
		free(buf);
	}
}

void dvc_service(struct dvc_set *d, rdpshare_session *s, rdpshare_attendee *a)
{
	if (!d->vcm || s->n_channels == 0 ||
	    WTSVirtualChannelManagerGetDrdynvcState(d->vcm) != DRDYNVC_STATE_READY) {
		return;
	}
	for (int i = 0; i < s->n_channels; i++) {
		if (d->ch[i].state == DVC_NONE) {
			d->ch[i].h = WTSVirtualChannelOpenEx(
			    d->session_id, (LPSTR)rdpshare_channel_name(s->channels[i]),
			    WTS_CHANNEL_OPTION_DYNAMIC);
			d->ch[i].state = d->ch[i].h ? DVC_OPENING : DVC_GONE;
		}
		bool pending = false;
		if (d->ch[i].state == DVC_OPENING) {
			if (ready(d->ch[i].h, &pending)) {
				d->ch[i].state = DVC_OPEN;
				session_post_channel_event(s, EV_CHANNEL_JOINED, s->channels[i], a,
				                           NULL, 0);
			} else if (!pending) {
				d->ch[i].state = DVC_GONE; /* the viewer has no such channel */
			}
		} else if (d->ch[i].state == DVC_OPEN && !ready(d->ch[i].h, &pending)) {
			d->ch[i].state = DVC_GONE; /* the viewer closed it */
			session_post_channel_event(s, EV_CHANNEL_LEFT, s->channels[i], a, NULL, 0);
		}
		if (d->ch[i].state == DVC_OPEN) {
			read_all(d, i, s, a);
		}
	}
	/* what the application queued for this attendee */
	for (struct chan_msg *m = attendee_take_chan_msgs(a), *next; m; m = next) {
		next = m->next;
		int i = 0;
		while (i < s->n_channels && s->channels[i] != m->channel) {
			i++;
		}
		/* access may have been revoked since the send: check again */
		if (i < s->n_channels && d->ch[i].state == DVC_OPEN &&
		    rdpshare_channel_get_access(m->channel, a->id) ==
		        RDPSHARE_CHANNEL_ACCESS_SENDRECEIVE) {
			ULONG written = 0;
			if (WTSVirtualChannelWrite(d->ch[i].h, (PCHAR)m->data, (ULONG)m->len,
			                           &written)) {
				session_post_channel_event(s, EV_CHANNEL_SENT, m->channel, a, NULL,
				                           m->len);
			}
		}
		free(m);
	}
}

void dvc_close(struct dvc_set *d, rdpshare_session *s, rdpshare_attendee *a)
{
	for (int i = 0; i < s->n_channels; i++) {
		if (d->ch[i].state == DVC_OPEN && a) {
			session_post_channel_event(s, EV_CHANNEL_LEFT, s->channels[i], a, NULL, 0);
		}
		if (d->ch[i].h) {
			WTSVirtualChannelClose(d->ch[i].h);
			d->ch[i].h = NULL;
		}
		d->ch[i].state = DVC_GONE;
	}
}
