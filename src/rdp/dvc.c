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

static int n_channels(const struct rdp_host *host)
{
	int n = host->ops->n_channels(host->ctx);
	return n < DVC_MAX_CHANNELS ? n : DVC_MAX_CHANNELS;
}

static void post(const struct rdp_host *host, enum host_channel_event ev, int i,
                 struct host_member *m, const void *data, size_t len)
{
	host->ops->channel_event(host->ctx, ev, i, m, data, len);
}

static void read_all(struct dvc_set *d, int i, const struct rdp_host *host, struct host_member *m,
                     struct member_stats *stats)
{
	size_t max = host->ops->channel_max_message(host->ctx, i);
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
		if (got > max) {
			atomic_fetch_add(&stats->channel_dropped, 1); /* over the API's limit */
		} else if (host->ops->channel_access(host->ctx, i, m)) {
			post(host, HOST_CHANNEL_DATA, i, m, buf, got);
		} else {
			d->dropped++; /* no access: never reaches the application */
			atomic_fetch_add(&stats->channel_dropped, 1);
		}
		free(buf);
	}
}

void dvc_service(struct dvc_set *d, const struct rdp_host *host, struct host_member *m,
                 struct member_stats *stats)
{
	int n = n_channels(host);
	if (!d->vcm || n == 0 ||
	    WTSVirtualChannelManagerGetDrdynvcState(d->vcm) != DRDYNVC_STATE_READY) {
		return;
	}
	for (int i = 0; i < n; i++) {
		if (d->ch[i].state == DVC_NONE) {
			d->ch[i].h = WTSVirtualChannelOpenEx(
			    d->session_id, (LPSTR)host->ops->channel_name(host->ctx, i),
			    WTS_CHANNEL_OPTION_DYNAMIC);
			d->ch[i].state = d->ch[i].h ? DVC_OPENING : DVC_GONE;
			/* the id the viewer's PDUs name: its messages are capped by it */
			d->ch[i].id = d->ch[i].h ? WTSChannelGetIdByHandle(d->ch[i].h) : 0;
		}
		bool pending = false;
		if (d->ch[i].state == DVC_OPENING) {
			if (ready(d->ch[i].h, &pending)) {
				d->ch[i].state = DVC_OPEN;
				post(host, HOST_CHANNEL_JOINED, i, m, NULL, 0);
			} else if (!pending) {
				d->ch[i].state = DVC_GONE; /* the viewer has no such channel */
			}
		} else if (d->ch[i].state == DVC_OPEN && !ready(d->ch[i].h, &pending)) {
			d->ch[i].state = DVC_GONE; /* the viewer closed it */
			post(host, HOST_CHANNEL_LEFT, i, m, NULL, 0);
		}
		if (d->ch[i].state == DVC_OPEN) {
			read_all(d, i, host, m, stats);
		}
	}
	/* what the application queued for this attendee */
	for (struct chan_msg *msg = host->ops->take_chan_msgs(host->ctx, m), *next; msg;
	     msg = next) {
		next = msg->next;
		int i = msg->channel;
		/* access may have been revoked since the send: check again */
		if (i >= 0 && i < n && d->ch[i].state == DVC_OPEN &&
		    host->ops->channel_access(host->ctx, i, m)) {
			ULONG written = 0;
			if (WTSVirtualChannelWrite(d->ch[i].h, (PCHAR)msg->data, (ULONG)msg->len,
			                           &written)) {
				post(host, HOST_CHANNEL_SENT, i, m, NULL, msg->len);
			}
		}
		free(msg);
	}
}

void dvc_read(struct dvc_set *d, const struct rdp_host *host, struct host_member *m,
              struct member_stats *stats)
{
	int n = n_channels(host);
	for (int i = 0; i < n; i++) {
		if (d->ch[i].state == DVC_OPEN) {
			read_all(d, i, host, m, stats);
		}
	}
}

bool dvc_channel_cap(const struct dvc_set *d, const struct rdp_host *host, uint32_t id, size_t *cap)
{
	int n = n_channels(host);
	for (int i = 0; i < n && id != 0; i++) {
		if (d->ch[i].id == id) {
			*cap = host->ops->channel_max_message(host->ctx, i);
			return true;
		}
	}
	return false;
}

void dvc_close(struct dvc_set *d, const struct rdp_host *host, struct host_member *m)
{
	int n = n_channels(host);
	for (int i = 0; i < n; i++) {
		if (d->ch[i].state == DVC_OPEN && m) {
			post(host, HOST_CHANNEL_LEFT, i, m, NULL, 0);
		}
		if (d->ch[i].h) {
			WTSVirtualChannelClose(d->ch[i].h);
			d->ch[i].h = NULL;
		}
		d->ch[i].state = DVC_GONE;
	}
}
