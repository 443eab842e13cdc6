/* The multiparty channel on the viewer side, as a static channel add-in of
 * our own: FreeRDP's encomsp client (2.x and 3.x) drops the connection on PDU types it
 * does not know (the control-change response), so rdpview reads the channel
 * with the project's own codec (src/rdp/encomsp.c). Channel callbacks run on
 * the thread that runs the client loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freerdp/channels/channels.h>
#include <freerdp/svc.h>
#include <winpr/wtsapi.h>

#include "rdp/encomsp.h"
#include "rdpshare.h"
#include "rdpview.h"
#include "util/text.h"

static CHANNEL_ENTRY_POINTS_FREERDP_EX entry_points;

static int level_of(uint16_t flags)
{
	return (flags & ENCOMSP_MAY_INTERACT) ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
	       : (flags & ENCOMSP_MAY_VIEW)   ? RDPSHARE_CTRL_LEVEL_VIEW
	                                      : RDPSHARE_CTRL_LEVEL_NONE;
}

static const char *level_name(int level)
{
	return rdpshare_ctrl_level_name((enum rdpshare_ctrl_level)level);
}

/* A JSON string: the name exactly as it came, escaped so that the line is
 * valid JSON and inert on a terminal (util/text.h): a hostile sharer chooses
 * these names. */
static void print_json_str(const char *s)
{
	size_t n = strlen(s);
	char *body = malloc(6 * n + 1);
	if (!body) {
		fputs("\"\"", stdout);
		return;
	}
	text_json_body(s, n, body);
	printf("\"%s\"", body);
	free(body);
}

static void handle_pdu(struct rv *rv, const struct encomsp_pdu *p)
{
	bool events = rv->o->events;
	switch (p->type) {
	case ENCOMSP_PARTICIPANT_CREATED: {
		bool self = p->flags & ENCOMSP_IS_PARTICIPANT;
		int level = level_of(p->flags);
		if (self) {
			rv->self_id = (int)p->id;
			if (rv->level != level) {
				rv->level = level;
				if (rv->win) {
					rv_window_title(rv->win);
				}
			}
		}
		if (events) {
			printf("{\"event\":\"participant\",\"id\":%u,\"name\":", p->id);
			print_json_str(p->name);
			printf(",\"level\":\"%s\",\"self\":%s}\n", level_name(level),
			       self ? "true" : "false");
		}
		break;
	}
	case ENCOMSP_PARTICIPANT_REMOVED:
		if (events) {
			printf("{\"event\":\"participant_removed\",\"id\":%u,\"type\":%u,"
			       "\"code\":%u}\n",
			       p->id, p->disc_type, p->disc_code);
		}
		break;
	case ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE:
		if (events) {
			int level = (p->flags & ENCOMSP_REQUEST_INTERACT)
			                ? RDPSHARE_CTRL_LEVEL_INTERACTIVE
			            : (p->flags & ENCOMSP_REQUEST_VIEW) ? RDPSHARE_CTRL_LEVEL_VIEW
			                                                : RDPSHARE_CTRL_LEVEL_NONE;
			printf("{\"event\":\"control_response\",\"level\":\"%s\",\"reason\":%u}\n",
			       level_name(level), p->reason);
		}
		if (p->reason != 0 && !events) {
			fprintf(stderr, "rdpview: the sharer did not grant the request\n");
		}
		break;
	case ENCOMSP_GRAPHICS_STREAM_PAUSED:
	case ENCOMSP_GRAPHICS_STREAM_RESUMED:
		rv->paused = p->type == ENCOMSP_GRAPHICS_STREAM_PAUSED;
		if (events) {
			printf("{\"event\":\"%s\"}\n", rv->paused ? "paused" : "resumed");
		}
		if (rv->win) {
			rv_window_title(rv->win);
		}
		break;
	case ENCOMSP_FILTER_STATE_UPDATED:
		if (events) {
			printf("{\"event\":\"filter\",\"enabled\":%s}\n",
			       (p->flags & ENCOMSP_FILTER_ENABLED) ? "true" : "false");
		}
		break;
	case ENCOMSP_APP_CREATED:
	case ENCOMSP_WND_CREATED:
		if (events) {
			bool app = p->type == ENCOMSP_APP_CREATED;
			printf("{\"event\":\"%s\",\"id\":%u,", app ? "app" : "window", p->id);
			if (!app) {
				printf("\"app\":%u,", p->app);
			}
			printf("\"shared\":%s,\"name\":", (p->flags & 1) ? "true" : "false");
			print_json_str(p->name);
			printf("}\n");
		}
		break;
	case ENCOMSP_APP_REMOVED:
	case ENCOMSP_WND_REMOVED:
		if (events) {
			printf("{\"event\":\"%s_removed\",\"id\":%u}\n",
			       p->type == ENCOMSP_APP_REMOVED ? "app" : "window", p->id);
		}
		break;
	default:
		break;
	}
	fflush(stdout);
}

static void handle_message(struct rv *rv, const uint8_t *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		static struct encomsp_pdu pdu; /* large; one loop thread */
		int used = encomsp_parse(data + off, len - off, &pdu);
		if (used < 0) {
			fprintf(stderr, "rdpview: malformed multiparty PDU ignored\n");
			return;
		}
		handle_pdu(rv, &pdu);
		off += (size_t)used;
	}
}

static VOID VCAPITYPE on_open_event(LPVOID user, DWORD handle, UINT event, LPVOID data, UINT32 len,
                                    UINT32 total, UINT32 flags)
{
	(void)handle;
	struct rv *rv = user;
	if (event == CHANNEL_EVENT_WRITE_COMPLETE || event == CHANNEL_EVENT_WRITE_CANCELLED) {
		free(data); /* the buffer handed to the write, as user data */
		return;
	}
	if (event != CHANNEL_EVENT_DATA_RECEIVED) {
		return;
	}
	if (flags & CHANNEL_FLAG_FIRST) {
		rv->mp_len = 0;
		if (total > 1 << 20) {
			return; /* no multiparty message is that big */
		}
		if (total > rv->mp_cap) {
			uint8_t *p = realloc(rv->mp_buf, total);
			if (!p) {
				return;
			}
			rv->mp_buf = p;
			rv->mp_cap = total;
		}
	}
	if (rv->mp_len + len > rv->mp_cap) {
		return; /* chunks beyond what the first one announced */
	}
	memcpy(rv->mp_buf + rv->mp_len, data, len);
	rv->mp_len += len;
	if (flags & CHANNEL_FLAG_LAST) {
		handle_message(rv, rv->mp_buf, rv->mp_len);
		rv->mp_len = 0;
	}
}

static VOID VCAPITYPE on_init_event(LPVOID user, LPVOID init_handle, UINT event, LPVOID data,
                                    UINT len)
{
	(void)data;
	(void)len;
	struct rv *rv = user;
	switch (event) {
	case CHANNEL_EVENT_CONNECTED: {
		DWORD h = 0;
		if (entry_points.pVirtualChannelOpenEx(init_handle, &h, "encomsp", on_open_event) ==
		    CHANNEL_RC_OK) {
			rv->mp_open_handle = h;
			rv->mp_open = true;
		}
		break;
	}
	case CHANNEL_EVENT_DISCONNECTED:
	case CHANNEL_EVENT_TERMINATED:
		if (rv->mp_open) {
			entry_points.pVirtualChannelCloseEx(init_handle, rv->mp_open_handle);
		}
		rv->mp_open = false;
		free(rv->mp_buf);
		rv->mp_buf = NULL;
		rv->mp_len = rv->mp_cap = 0;
		break;
	default:
		break;
	}
}

static BOOL VCAPITYPE entry(PCHANNEL_ENTRY_POINTS_EX points, PVOID init_handle)
{
	PCHANNEL_ENTRY_POINTS_FREERDP_EX p = (PCHANNEL_ENTRY_POINTS_FREERDP_EX)points;
	struct rv *rv = p->pExtendedData;
	memcpy(&entry_points, p, sizeof(entry_points));
	rv->mp_init_handle = init_handle;
	CHANNEL_DEF def = {0};
	snprintf(def.name, sizeof(def.name), "encomsp");
	def.options = CHANNEL_OPTION_INITIALIZED | CHANNEL_OPTION_ENCRYPT_RDP |
	              CHANNEL_OPTION_COMPRESS_RDP | CHANNEL_OPTION_SHOW_PROTOCOL;
	return p->pVirtualChannelInitEx(rv, NULL, init_handle, &def, 1,
	                                VIRTUAL_CHANNEL_VERSION_WIN2000,
	                                on_init_event) == CHANNEL_RC_OK;
}

BOOL rv_mp_load(struct rv *rv, rdpContext *ctx)
{
	rv->self_id = -1;
	rv->level = -1;
	return freerdp_channels_client_load_ex(ctx->channels, ctx->settings, entry, rv) == 0;
}

void rv_mp_send_raw(struct rv *rv, const uint8_t *data, size_t len)
{
	if (!rv->mp_open || len == 0) {
		return;
	}
	uint8_t *copy = malloc(len); /* freed on WRITE_COMPLETE */
	if (!copy) {
		return;
	}
	memcpy(copy, data, len);
	if (entry_points.pVirtualChannelWriteEx(rv->mp_init_handle, rv->mp_open_handle, copy,
	                                        (ULONG)len, copy) != CHANNEL_RC_OK) {
		free(copy);
	}
}

void rv_mp_request(struct rv *rv, int level)
{
	uint16_t flags = level == RDPSHARE_CTRL_LEVEL_INTERACTIVE
	                     ? ENCOMSP_REQUEST_VIEW | ENCOMSP_REQUEST_INTERACT
	                 : level == RDPSHARE_CTRL_LEVEL_VIEW ? ENCOMSP_REQUEST_VIEW
	                                                     : 0;
	struct encomsp_buf b = {0};
	encomsp_ctrl_change(&b, flags, rv->self_id > 0 ? (uint32_t)rv->self_id : 0);
	if (!b.failed) {
		rv_mp_send_raw(rv, b.p, b.len);
	}
	encomsp_buf_free(&b);
}
