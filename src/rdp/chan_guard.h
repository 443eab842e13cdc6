/* Caps on what a viewer may make the sharer buffer on a virtual channel,
 * checked chunk by chunk before FreeRDP keeps anything.
 *
 * FreeRDP's server reassembles a static channel message chunk by chunk with
 * no limit (whatever the chunks add up to, whatever totalSize says), and a
 * dynamic channel's DATA_FIRST PDU makes it reserve the Length it declares
 * (up to 4 GiB). So every chunk passes here first: a static message larger
 * than its channel's cap, or a DATA_FIRST declaring more than its dynamic
 * channel's cap, is refused, and the connection is dropped (a well-behaved
 * client never sends one). Pure: no FreeRDP types; conn.c is the glue.
 *
 * The caps, and why (sizes are what the sharer keeps for one message):
 * - encomsp (multiparty, MS-RDPEMC): a viewer sends only small PDUs (a
 *   control level request is 10 bytes, show window 12): 4 KiB.
 * - cliprdr (MS-RDPECLIP): the largest text the sharer takes is
 *   CLIPBOARD_MAX_TEXT bytes of UTF-8 (src/capture/clipboard.h), at most
 *   twice that in UTF-16 (one unit, two bytes, per UTF-8 byte at worst),
 *   with its NUL and the 8-byte PDU header; 64 KiB more for a format list
 *   with long names. A larger message is not a hostile one (a viewer's
 *   user copied a large text and the sharer asked for it): it is passed
 *   over unbuffered (CHAN_GUARD_SKIP), the viewer stays, and the text is
 *   not shared, as with any text over the limit.
 * - drdynvc (static): one DVC PDU per message; clients cut them at 1,600
 *   bytes (MS-RDPEDYC 3.1.5.1.4): 4 KiB.
 * - any other static channel: FreeRDP keeps nothing for one the sharer did
 *   not open, and a viewer speaks first on none of them: one chunk (1,600).
 * Dynamic channels (the Length of a DATA_FIRST, the message itself without
 * the DVC header):
 * - the application's channels: the message limit of the channel, 1,024
 *   bytes or 409,600 with RDPSHARE_CHANNEL_FLAGS_LEGACY
 *   (RDPSHARE_CHANNEL_MAX_MESSAGE*): the payload goes unframed, so that is
 *   the largest message the library accepts (dvc.c drops larger ones);
 * - the graphics pipeline (MS-RDPEGFX): a client sends caps advertise, frame
 *   acknowledgements and one cache import offer of at most 5,462 entries of
 *   12 bytes after an 8-byte header and a 2-byte count, so 65,554 bytes;
 *   1 KiB more for slack;
 * - any other (an id the sharer does not know): 1,600 bytes. */
#ifndef RDPSHARE_RDP_CHAN_GUARD_H
#define RDPSHARE_RDP_CHAN_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/clipboard.h"

#define CHAN_CAP_ENCOMSP (4 * 1024)
#define CHAN_CAP_CLIPRDR (2 * (size_t)CLIPBOARD_MAX_TEXT + 2 + 8 + 64 * 1024)
#define CHAN_CAP_DRDYNVC (4 * 1024)
#define CHAN_CAP_STATIC_OTHER 1600
#define CHAN_CAP_GFX (8 + 2 + 5462 * 12 + 1024)
#define CHAN_CAP_DVC_OTHER 1600

/* The static channel chunk flags (MS-RDPBCGR 2.2.6.1.1). */
#define CHAN_GUARD_FIRST 0x01u
#define CHAN_GUARD_LAST 0x02u

/* A DVC PDU's header (MS-RDPEDYC 2.2). */
enum dvc_cmd {
	DVC_CMD_CREATE = 0x01,
	DVC_CMD_DATA_FIRST = 0x02,
	DVC_CMD_DATA = 0x03,
	DVC_CMD_CLOSE = 0x04,
	DVC_CMD_CAPS = 0x05,
	DVC_CMD_DATA_FIRST_COMPRESSED = 0x06,
	DVC_CMD_DATA_COMPRESSED = 0x07,
	DVC_CMD_SOFT_SYNC_REQUEST = 0x08,
	DVC_CMD_SOFT_SYNC_RESPONSE = 0x09,
};

/* The longest header: one byte, a 4-byte channel id, a 4-byte Length. */
#define DVC_HEADER_MAX 9

struct dvc_header {
	unsigned cmd, sp, cb_ch_id; /* the first byte's fields */
	uint32_t channel_id;        /* where the PDU has one */
	uint32_t length;            /* DATA_FIRST (compressed or not) only */
	size_t size;                /* bytes of header read */
};

/* Parse the header at p[0..n). 0 and *out; -EAGAIN: n is too short for it;
 * -EINVAL: a field size code of 3 (no such size). */
int dvc_header_parse(const uint8_t *p, size_t n, struct dvc_header *out);

/* The cap of a static channel by its name (NULL: an unknown one). */
size_t chan_guard_static_cap(const char *name);

#define CHAN_GUARD_SLOTS 32 /* MCS allows 31 channels besides the I/O one */

struct chan_guard {
	/* The cap of dynamic channel id (the caller knows which are whose). */
	size_t (*dvc_cap)(void *arg, uint32_t id);
	void *arg;
	bool refused; /* latched: a cap was exceeded, everything after is refused */
	struct {
		bool used;
		uint16_t id;
		size_t got;    /* bytes of the message under way */
		bool skipping; /* passing over the rest of an over-cap clipboard message */
		uint8_t head[DVC_HEADER_MAX];
		size_t head_len;
	} ch[CHAN_GUARD_SLOTS];
};

void chan_guard_init(struct chan_guard *g, size_t (*dvc_cap)(void *arg, uint32_t id), void *arg);

/* One chunk (size bytes at data, flags CHAN_GUARD_*, the message's total
 * as the chunk says) of static channel id named name (NULL: not joined,
 * its data is dropped unbuffered). Call before handing the chunk on.
 * 0: hand it on; CHAN_GUARD_SKIP: do not hand it on, nothing is wrong (a
 * clipboard message over its cap; on the skipped message's LAST chunk the
 * caller hands on an empty FIRST chunk instead, so FreeRDP drops what it
 * held of that message and both count from zero again); -EMSGSIZE: over a cap (and every call
 * after): refuse it and drop the connection; -ENOSPC: more channels than
 * MCS allows. */
#define CHAN_GUARD_SKIP 1
int chan_guard_chunk(struct chan_guard *g, uint16_t id, const char *name, const uint8_t *data,
                     size_t size, uint32_t flags, size_t total);

#endif
