#include "rdp/chan_guard.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

/* A little-endian field of 1, 2 or 4 bytes by its size code (0, 1, 2). */
static int read_var(const uint8_t *p, size_t n, size_t *at, unsigned code, uint32_t *out)
{
	static const size_t sizes[] = {1, 2, 4};
	if (code > 2) {
		return -EINVAL;
	}
	size_t len = sizes[code];
	if (n - *at < len) {
		return -EAGAIN;
	}
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		v |= (uint32_t)p[*at + i] << (8 * i);
	}
	*at += len;
	*out = v;
	return 0;
}

int dvc_header_parse(const uint8_t *p, size_t n, struct dvc_header *out)
{
	if (n < 1) {
		return -EAGAIN;
	}
	struct dvc_header h = {
	    .cmd = p[0] >> 4, .sp = (p[0] >> 2) & 3u, .cb_ch_id = p[0] & 3u, .size = 1};
	/* as FreeRDP reads them: the soft-sync PDUs and the capabilities
	 * carry no channel id where the others start with one */
	bool has_id = h.cmd != DVC_CMD_CAPS && h.cmd != DVC_CMD_SOFT_SYNC_REQUEST &&
	              h.cmd != DVC_CMD_SOFT_SYNC_RESPONSE;
	int r = 0;
	if (has_id) {
		r = read_var(p, n, &h.size, h.cb_ch_id, &h.channel_id);
	}
	if (r == 0 && (h.cmd == DVC_CMD_DATA_FIRST || h.cmd == DVC_CMD_DATA_FIRST_COMPRESSED)) {
		r = read_var(p, n, &h.size, h.sp, &h.length);
	}
	if (r == 0) {
		*out = h;
	}
	return r;
}

size_t chan_guard_static_cap(const char *name)
{
	if (!name) {
		return CHAN_CAP_STATIC_OTHER;
	}
	/* MCS names are compared as FreeRDP does: case-insensitively */
	if (strcasecmp(name, "encomsp") == 0) {
		return CHAN_CAP_ENCOMSP;
	}
	if (strcasecmp(name, "cliprdr") == 0) {
		return CHAN_CAP_CLIPRDR;
	}
	if (strcasecmp(name, "drdynvc") == 0) {
		return CHAN_CAP_DRDYNVC;
	}
	return CHAN_CAP_STATIC_OTHER;
}

void chan_guard_init(struct chan_guard *g, size_t (*dvc_cap)(void *arg, uint32_t id), void *arg)
{
	memset(g, 0, sizeof(*g));
	g->dvc_cap = dvc_cap;
	g->arg = arg;
}

static int refuse(struct chan_guard *g, int err)
{
	g->refused = true;
	return err;
}

/* A complete drdynvc message: a DATA_FIRST may not declare more than its
 * channel takes. Anything FreeRDP cannot parse it refuses itself, without
 * reserving anything, so only a readable DATA_FIRST matters here. */
static int check_dvc(struct chan_guard *g, const uint8_t *head, size_t n)
{
	struct dvc_header h;
	int r = dvc_header_parse(head, n, &h);
	if (r == -EAGAIN || (r == 0 && h.cmd != DVC_CMD_DATA_FIRST)) {
		return 0;
	}
	if (r < 0) { /* a size code of 3: FreeRDP fails the PDU; a DATA_FIRST ends here */
		return n > 0 && (head[0] >> 4) == DVC_CMD_DATA_FIRST ? -EMSGSIZE : 0;
	}
	size_t cap = g->dvc_cap ? g->dvc_cap(g->arg, h.channel_id) : CHAN_CAP_DVC_OTHER;
	return h.length > cap ? -EMSGSIZE : 0;
}

int chan_guard_chunk(struct chan_guard *g, uint16_t id, const char *name, const uint8_t *data,
                     size_t size, uint32_t flags, size_t total)
{
	if (g->refused) {
		return -EMSGSIZE;
	}
	if (!name) {
		return 0; /* not joined: FreeRDP drops it unbuffered */
	}
	int slot = -1;
	for (int i = 0; i < CHAN_GUARD_SLOTS; i++) {
		if (g->ch[i].used && g->ch[i].id == id) {
			slot = i;
			break;
		}
		if (!g->ch[i].used && slot < 0) {
			slot = i;
		}
	}
	if (slot < 0) {
		return refuse(g, -ENOSPC);
	}
	if (!g->ch[slot].used) {
		g->ch[slot].used = true;
		g->ch[slot].id = id;
		g->ch[slot].got = 0;
		g->ch[slot].head_len = 0;
	}
	/* FreeRDP's reassembly: FIRST starts a message, LAST ends it, and a
	 * chunk after LAST without FIRST starts one too */
	if (flags & CHAN_GUARD_FIRST) {
		g->ch[slot].got = 0;
		g->ch[slot].head_len = 0;
		g->ch[slot].skipping = false;
	}
	size_t cap = chan_guard_static_cap(name);
	if (!g->ch[slot].skipping && (total > cap || size > cap - g->ch[slot].got)) {
		if (strcasecmp(name, "cliprdr") != 0) {
			return refuse(g, -EMSGSIZE);
		}
		g->ch[slot].skipping = true; /* a large text, not an attack */
	}
	if (g->ch[slot].skipping) {
		if (flags & CHAN_GUARD_LAST) {
			/* the caller resets FreeRDP's reassembly now (chan_guard.h) */
			g->ch[slot].skipping = false;
			g->ch[slot].got = 0;
		}
		return CHAN_GUARD_SKIP;
	}
	g->ch[slot].got += size;
	bool dvc = strcasecmp(name, "drdynvc") == 0;
	if (dvc && g->ch[slot].head_len < DVC_HEADER_MAX && size > 0) {
		size_t take = DVC_HEADER_MAX - g->ch[slot].head_len;
		take = take < size ? take : size;
		memcpy(g->ch[slot].head + g->ch[slot].head_len, data, take);
		g->ch[slot].head_len += take;
	}
	if (flags & CHAN_GUARD_LAST) {
		int r = dvc ? check_dvc(g, g->ch[slot].head, g->ch[slot].head_len) : 0;
		g->ch[slot].got = 0;
		g->ch[slot].head_len = 0;
		if (r < 0) {
			return refuse(g, r);
		}
	}
	return 0;
}
