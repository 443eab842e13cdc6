/* The multiparty channel (MS-RDPEMC, static channel "encomsp") on the viewer
 * side, as a static channel add-in of our own: FreeRDP's encomsp client (2.x
 * and 3.x) drops the connection on PDU types it does not know (the
 * control-change response). Whole messages go up to the viewer, which
 * parses them with the project's own codec (rdp/encomsp.h). Callbacks run
 * on FreeRDP's channel thread, or the run thread. */
#include <stdlib.h>
#include <string.h>

#include <freerdp/channels/channels.h>
#include <winpr/wtsapi.h>

#include "rdp/client_impl.h"

#define MP_MAX_MESSAGE (1u << 20) /* no multiparty message is that big */

static VOID VCAPITYPE on_open_event(LPVOID user, DWORD handle, UINT event, LPVOID data, UINT32 len,
                                    UINT32 total, UINT32 flags)
{
	(void)handle;
	struct rdp_client *c = user;
	if (event == CHANNEL_EVENT_WRITE_COMPLETE || event == CHANNEL_EVENT_WRITE_CANCELLED) {
		free(data); /* the buffer handed to the write, as user data */
		return;
	}
	if (event != CHANNEL_EVENT_DATA_RECEIVED) {
		return;
	}
	if (flags & CHANNEL_FLAG_FIRST) {
		c->mp_len = 0;
		if (total > MP_MAX_MESSAGE) {
			return;
		}
		if (total > c->mp_cap) {
			uint8_t *p = realloc(c->mp_buf, total);
			if (!p) {
				return;
			}
			c->mp_buf = p;
			c->mp_cap = total;
		}
	}
	if (c->mp_len + len > c->mp_cap) {
		return; /* chunks beyond what the first one announced */
	}
	memcpy(c->mp_buf + c->mp_len, data, len);
	c->mp_len += len;
	if (flags & CHANNEL_FLAG_LAST) {
		c->l.multiparty(c->l.ctx, c->mp_buf, c->mp_len);
		c->mp_len = 0;
	}
}

static VOID VCAPITYPE on_init_event(LPVOID user, LPVOID init_handle, UINT event, LPVOID data,
                                    UINT len)
{
	(void)data;
	(void)len;
	struct rdp_client *c = user;
	switch (event) {
	case CHANNEL_EVENT_CONNECTED: {
		DWORD h = 0;
		if (c->mp_ep.pVirtualChannelOpenEx(init_handle, &h, "encomsp", on_open_event) ==
		    CHANNEL_RC_OK) {
			c->mp_handle = h;
			c->mp_open = true;
		}
		break;
	}
	case CHANNEL_EVENT_DISCONNECTED:
	case CHANNEL_EVENT_TERMINATED:
		if (c->mp_open) {
			c->mp_ep.pVirtualChannelCloseEx(init_handle, c->mp_handle);
		}
		c->mp_open = false;
		free(c->mp_buf);
		c->mp_buf = NULL;
		c->mp_len = c->mp_cap = 0;
		break;
	default:
		break;
	}
}

static BOOL VCAPITYPE entry(PCHANNEL_ENTRY_POINTS_EX points, PVOID init_handle)
{
	PCHANNEL_ENTRY_POINTS_FREERDP_EX p = (PCHANNEL_ENTRY_POINTS_FREERDP_EX)points;
	struct rdp_client *c = p->pExtendedData;
	memcpy(&c->mp_ep, p, sizeof(c->mp_ep));
	c->mp_init = init_handle;
	CHANNEL_DEF def = {0};
	strcpy(def.name, "encomsp");
	def.options = CHANNEL_OPTION_INITIALIZED | CHANNEL_OPTION_ENCRYPT_RDP |
	              CHANNEL_OPTION_COMPRESS_RDP | CHANNEL_OPTION_SHOW_PROTOCOL;
	return p->pVirtualChannelInitEx(c, NULL, init_handle, &def, 1,
	                                VIRTUAL_CHANNEL_VERSION_WIN2000,
	                                on_init_event) == CHANNEL_RC_OK;
}

BOOL rdp_client_mp_load(struct rdp_client *c, rdpContext *ctx)
{
	return freerdp_channels_client_load_ex(ctx->channels, ctx->settings, entry, c) == 0;
}

void rdp_client_mp_send(struct rdp_client *c, const uint8_t *data, size_t len)
{
	if (!c->mp_open || len == 0 || len > MP_MAX_MESSAGE) {
		return;
	}
	uint8_t *copy = malloc(len); /* freed on WRITE_COMPLETE */
	if (!copy) {
		return;
	}
	memcpy(copy, data, len);
	if (c->mp_ep.pVirtualChannelWriteEx(c->mp_init, c->mp_handle, copy, (ULONG)len, copy) !=
	    CHANNEL_RC_OK) {
		free(copy);
	}
}
