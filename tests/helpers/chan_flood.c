/* Test helper: a hostile viewer that tries to make the sharer buffer one
 * huge channel message. It logs on like a stock RDP client (any name, the
 * invitation password), joins encomsp, cliprdr and drdynvc without loading
 * any channel code, answers the sharer's drdynvc handshake by hand, and once
 * the channel of its attack is live sends:
 *   encomsp, cliprdr, drdynvc  one static message declaring a total of 4 GiB,
 *                              then its chunks, never the last one
 *   dvc NAME                   on the application channel NAME, a DATA_FIRST
 *                              declaring 4 GiB, then DATA PDUs
 * until MIB mebibytes went out or the sharer dropped it. Prints one line,
 * "sent=BYTES disconnected=0|1", and exits 0 when it could attack.
 *   chan_flood PORT PASSWORD KIND [NAME] [MIB]
 * FLOOD_DEBUG=1 in the environment prints what arrives on which channel.
 * FLOOD_BEHIND=S (with dvc): a viewer that stops reading first: it sends no
 * frame acknowledgements, waits S seconds without reading so the sharer falls
 * behind on it, then sends DATA PDUs of 1,590 bytes, each a whole message
 * (no DATA_FIRST), still without reading. */
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freerdp/channels/channels.h>
#include <freerdp/freerdp.h>
#include <freerdp/settings.h>

#include "common/viewer.h"

#define CHUNK 16000 /* bytes per static chunk: fits one TPKT */

struct flood {
	rdpContext base;
	const char *kind, *dvc_name;
	UINT16 encomsp, cliprdr, drdynvc; /* static channel ids */
	bool ready;                       /* the channel of the attack is live */
	UINT32 dvc_id;                    /* the application channel's */
};

static struct flood *flood_of(freerdp *instance)
{
	return (struct flood *)instance->context;
}

static BOOL send_static(freerdp *instance, UINT16 id, const BYTE *data, size_t len, UINT32 flags,
                        size_t total)
{
	return instance->SendChannelPacket(instance, id, total, flags, data, len);
}

static BOOL send_pdu(freerdp *instance, UINT16 id, const BYTE *pdu, size_t len)
{
	return send_static(instance, id, pdu, len, CHANNEL_FLAG_FIRST | CHANNEL_FLAG_LAST, len);
}

/* The sharer's side of the channels, read raw: what tells that the
 * attacked channel is open, and the drdynvc handshake (MS-RDPEDYC 2.2). */
static BOOL on_channel_data(freerdp *instance, UINT16 id, const BYTE *data, size_t size,
                            UINT32 flags, size_t total)
{
	(void)flags;
	(void)total;
	struct flood *f = flood_of(instance);
	if (getenv("FLOOD_DEBUG")) {
		fprintf(stderr, "chan_flood: %zu bytes on channel %u\n", size, id);
	}
	if (id == f->encomsp && strcmp(f->kind, "encomsp") == 0) {
		f->ready = true;
	} else if (id == f->cliprdr && strcmp(f->kind, "cliprdr") == 0) {
		f->ready = true;
	} else if (id == f->drdynvc && size >= 1) {
		unsigned cmd = data[0] >> 4;
		if (cmd == 0x05) { /* capabilities request: answer version 1 */
			static const BYTE caps[] = {0x50, 0x00, 0x01, 0x00};
			if (!send_pdu(instance, id, caps, sizeof(caps))) {
				return FALSE;
			}
			if (strcmp(f->kind, "drdynvc") == 0) {
				f->ready = true;
			}
		} else if (cmd == 0x01 && size >= 2) { /* create request */
			unsigned cb = data[0] & 3u;
			size_t idlen = cb == 0 ? 1 : cb == 1 ? 2 : 4;
			if (size < 1 + idlen + 1) {
				return TRUE;
			}
			UINT32 ch = 0;
			for (size_t i = 0; i < idlen; i++) {
				ch |= (UINT32)data[1 + i] << (8 * i);
			}
			const char *name = (const char *)data + 1 + idlen;
			size_t name_max = size - 1 - idlen;
			bool ours = f->dvc_name && strnlen(name, name_max) < name_max &&
			            strcmp(name, f->dvc_name) == 0;
			/* create response: header, id, status (0 ok, else refused) */
			BYTE resp[9];
			size_t n = 0;
			resp[n++] = (BYTE)(0x10 | cb);
			memcpy(resp + n, data + 1, idlen);
			n += idlen;
			UINT32 status = ours ? 0 : 0xC0000001u;
			for (int i = 0; i < 4; i++) {
				resp[n++] = (BYTE)(status >> (8 * i));
			}
			if (!send_pdu(instance, id, resp, n)) {
				return FALSE;
			}
			if (ours && strcmp(f->kind, "dvc") == 0) {
				f->dvc_id = ch;
				f->ready = true;
			}
		}
	}
	return TRUE;
}

static BOOL add_channel(rdpSettings *st, const char *name)
{
	UINT32 n = freerdp_settings_get_uint32(st, FreeRDP_ChannelCount);
	CHANNEL_DEF def = {.options = CHANNEL_OPTION_INITIALIZED};
	strncpy(def.name, name, CHANNEL_NAME_LEN);
	return freerdp_settings_set_pointer_array(st, FreeRDP_ChannelDefArray, n, &def) &&
	       freerdp_settings_set_uint32(st, FreeRDP_ChannelCount, n + 1);
}

/* FreeRDP 3 empties the channel list after pre-connect and asks for it
 * here, where channel code would be loaded; MCS joins what is listed. */
static BOOL on_load_channels(freerdp *instance)
{
	rdpSettings *st = instance->context->settings;
	return add_channel(st, "encomsp") && add_channel(st, "cliprdr") &&
	       add_channel(st, "drdynvc") &&
	       freerdp_settings_set_bool(st, FreeRDP_SupportDynamicChannels, TRUE);
}

static BOOL on_post_connect(freerdp *instance)
{
	struct flood *f = flood_of(instance);
	f->encomsp = freerdp_channels_get_id_by_name(instance, "encomsp");
	f->cliprdr = freerdp_channels_get_id_by_name(instance, "cliprdr");
	f->drdynvc = freerdp_channels_get_id_by_name(instance, "drdynvc");
	if (getenv("FLOOD_DEBUG")) {
		fprintf(
		    stderr, "chan_flood: channels encomsp %u cliprdr %u drdynvc %u (of %u)\n",
		    f->encomsp, f->cliprdr, f->drdynvc,
		    freerdp_settings_get_uint32(instance->context->settings, FreeRDP_ChannelCount));
	}
	return viewer_post_connect(instance);
}

static size_t attack(freerdp *instance, size_t limit, bool *cut)
{
	struct flood *f = flood_of(instance);
	static BYTE buf[CHUNK + 16];
	size_t sent = 0;
	const size_t huge = 0xFFFFFFFFu;
	BOOL ok = TRUE;
	if (strcmp(f->kind, "dvc") == 0) {
		/* DATA_FIRST: 4-byte channel id, 4-byte Length of 4 GiB - 1 */
		BYTE first[9] = {0x2A};
		for (int i = 0; i < 4; i++) {
			first[1 + i] = (BYTE)(f->dvc_id >> (8 * i));
			first[5 + i] = 0xFF;
		}
		bool behind = getenv("FLOOD_BEHIND") != NULL;
		size_t chunk = behind ? 1590 : CHUNK;
		if (behind) {
			sleep((unsigned)atoi(getenv("FLOOD_BEHIND"))); /* the pictures pile up */
		} else {
			ok = send_pdu(instance, f->drdynvc, first, sizeof(first));
		}
		buf[0] = 0x32; /* DATA, 4-byte channel id */
		memcpy(buf + 1, first + 1, 4);
		memset(buf + 5, 'x', chunk - 5);
		while (ok && sent < limit) {
			ok = send_pdu(instance, f->drdynvc, buf, chunk);
			sent += ok ? chunk : 0;
			if (ok && !behind && sent % (64 * chunk) == 0) {
				ok = viewer_pump(instance->context, 0);
			}
		}
	} else {
		UINT16 id = strcmp(f->kind, "encomsp") == 0   ? f->encomsp
		            : strcmp(f->kind, "cliprdr") == 0 ? f->cliprdr
		                                              : f->drdynvc;
		memset(buf, 'x', CHUNK);
		while (ok && sent < limit) {
			ok = send_static(instance, id, buf, CHUNK,
			                 sent == 0 ? CHANNEL_FLAG_FIRST : 0, huge);
			sent += ok ? CHUNK : 0;
			if (ok && sent % (64 * CHUNK) == 0) {
				ok = viewer_pump(instance->context, 0);
			}
		}
	}
	/* did the sharer drop us? (a few seconds for its close to arrive) */
	for (int i = 0; ok && i < 50; i++) {
		ok = viewer_pump(instance->context, 100);
	}
	*cut = !ok;
	return sent;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: chan_flood PORT PASSWORD KIND [NAME] [MIB]\n");
		return 2;
	}
	const char *kind = argv[3];
	bool dvc = strcmp(kind, "dvc") == 0;
	const char *dvc_name = dvc && argc > 4 ? argv[4] : NULL;
	int mib_at = dvc ? 5 : 4;
	size_t limit = (size_t)(argc > mib_at ? atoi(argv[mib_at]) : 256) << 20;
	freerdp *instance = freerdp_new();
	if (!instance) {
		return 1;
	}
	instance->ContextSize = sizeof(struct flood);
	viewer_callbacks(instance);
	instance->LoadChannels = on_load_channels;
	instance->PostConnect = on_post_connect;
	if (!freerdp_context_new(instance)) {
		return 1;
	}
	struct flood *f = flood_of(instance);
	f->kind = kind;
	f->dvc_name = dvc_name;
	instance->ReceiveChannelData = on_channel_data;
	rdpSettings *st = instance->context->settings;
	if (!viewer_logon(st, "127.0.0.1", argv[1], "flood", argv[2]) ||
	    !freerdp_settings_set_bool(st, FreeRDP_NlaSecurity, FALSE) ||
	    !freerdp_settings_set_bool(st, FreeRDP_TlsSecurity, TRUE) ||
	    !freerdp_settings_set_bool(st, FreeRDP_RdpSecurity, FALSE) ||
	    !freerdp_settings_set_uint32(st, FreeRDP_ColorDepth, 32) ||
	    !freerdp_settings_set_bool(st, FreeRDP_SoftwareGdi, TRUE) ||
	    (getenv("FLOOD_BEHIND") &&
	     (!freerdp_settings_set_uint32(st, FreeRDP_FrameAcknowledge, 0) ||
	      !freerdp_settings_set_bool(st, FreeRDP_SurfaceFrameMarkerEnabled, FALSE)))) {
		return 1;
	}
	int rc = 1;
	if (!freerdp_connect(instance)) {
		fprintf(stderr, "chan_flood: cannot connect\n");
		goto out;
	}
	/* wait (20 s at most) for the sharer to open the attacked channel */
	for (int i = 0; i < 200 && !f->ready; i++) {
		if (!viewer_pump(instance->context, 100)) {
			fprintf(stderr, "chan_flood: dropped before the attack\n");
			goto out;
		}
	}
	if (!f->ready) {
		fprintf(stderr, "chan_flood: the %s channel never opened\n", kind);
		goto out;
	}
	bool cut = false;
	size_t sent = attack(instance, limit, &cut);
	printf("sent=%zu disconnected=%d\n", sent, cut ? 1 : 0);
	fflush(stdout);
	rc = 0;
out:
	freerdp_disconnect(instance);
	freerdp_context_free(instance);
	freerdp_free(instance);
	return rc;
}
