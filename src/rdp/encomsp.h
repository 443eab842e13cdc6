/* The multiparty channel's PDUs (MS-RDPEMC, static channel "encomsp"): the
 * ones the sharer sends, built into a byte buffer, and a parser for what a
 * viewer may send. Hand-written because FreeRDP's encomsp server (2.11, and
 * still 3.10) only parses one PDU type and sends none; no FreeRDP types here, so the parser
 * is fuzzed on its own (fuzz/fuzz_encomsp.c). Little-endian throughout; a
 * channel message may carry several PDUs back to back. */
#ifndef RDPSHARE_ENCOMSP_H
#define RDPSHARE_ENCOMSP_H

#include <stddef.h>
#include <stdint.h>

enum {
	ENCOMSP_FILTER_STATE_UPDATED = 0x0001,
	ENCOMSP_APP_REMOVED = 0x0002,
	ENCOMSP_APP_CREATED = 0x0003,
	ENCOMSP_WND_REMOVED = 0x0004,
	ENCOMSP_WND_CREATED = 0x0005,
	ENCOMSP_WND_SHOW = 0x0006,
	ENCOMSP_PARTICIPANT_REMOVED = 0x0007,
	ENCOMSP_PARTICIPANT_CREATED = 0x0008,
	ENCOMSP_PARTICIPANT_CTRL_CHANGE = 0x0009,
	ENCOMSP_GRAPHICS_STREAM_PAUSED = 0x000A,
	ENCOMSP_GRAPHICS_STREAM_RESUMED = 0x000B,
	ENCOMSP_WND_REGION_UPDATE = 0x000C,
	ENCOMSP_PARTICIPANT_CTRL_CHANGE_RESPONSE = 0x000D,
};

/* participant flags */
#define ENCOMSP_MAY_VIEW 0x0001
#define ENCOMSP_MAY_INTERACT 0x0002
#define ENCOMSP_IS_PARTICIPANT 0x0004
/* control change request flags */
#define ENCOMSP_REQUEST_VIEW 0x0001
#define ENCOMSP_REQUEST_INTERACT 0x0002
#define ENCOMSP_FILTER_ENABLED 0x0001
#define ENCOMSP_APP_SHARED 0x0001
#define ENCOMSP_WND_SHARED 0x0001
/* participant removed: disconnection type */
#define ENCOMSP_DISC_APP 0
#define ENCOMSP_DISC_CLI 2

#define ENCOMSP_MAX_CHARS 1024 /* UNICODE_STRING limit */

/* A growable output buffer; failed sticks once an allocation failed. */
struct encomsp_buf {
	uint8_t *p;
	size_t len, cap;
	int failed;
};
void encomsp_buf_free(struct encomsp_buf *b);

/* name is UTF-8; it is converted to UTF-16 and cut at ENCOMSP_MAX_CHARS. */
void encomsp_participant_created(struct encomsp_buf *b, uint32_t id, uint32_t group, uint16_t flags,
                                 const char *name);
void encomsp_participant_removed(struct encomsp_buf *b, uint32_t id, uint32_t disc_type,
                                 uint32_t disc_code);
void encomsp_ctrl_change_response(struct encomsp_buf *b, uint16_t flags, uint32_t id,
                                  uint32_t reason);
void encomsp_graphics_stream(struct encomsp_buf *b, int paused);
/* The application filter (MS-RDPEMC 2.2.3.1-2.2.3.5): flags carry
 * ENCOMSP_FILTER_ENABLED, ENCOMSP_APP_SHARED, ENCOMSP_WND_SHARED. */
void encomsp_filter_state(struct encomsp_buf *b, int enabled);
void encomsp_app_created(struct encomsp_buf *b, uint16_t flags, uint32_t app, const char *name);
void encomsp_app_removed(struct encomsp_buf *b, uint32_t app);
void encomsp_wnd_created(struct encomsp_buf *b, uint16_t flags, uint32_t app, uint32_t wnd,
                         const char *name);
void encomsp_wnd_removed(struct encomsp_buf *b, uint32_t wnd);
/* What a viewer sends to bring a window to the front (rdpview). */
void encomsp_wnd_show(struct encomsp_buf *b, uint32_t wnd);
/* What a viewer sends to ask for a level (rdpview). */
void encomsp_ctrl_change(struct encomsp_buf *b, uint16_t flags, uint32_t id);

/* One PDU. The sharer reads CTRL_CHANGE and WND_SHOW; a viewer (rdpview)
 * reads the participant, response, stream and filter PDUs. Other types are reported
 * with only type set, so callers can skip them. */
struct encomsp_pdu {
	uint16_t type;
	uint16_t flags; /* CTRL_CHANGE(_RESPONSE), PARTICIPANT_CREATED, FILTER_STATE_UPDATED,
	                 * APP_CREATED, WND_CREATED */
	uint32_t id;    /* participant; application for APP_*; window for WND_* */
	uint32_t app;   /* WND_CREATED: the window's application */
	uint32_t group; /* PARTICIPANT_CREATED */
	uint32_t disc_type, disc_code;        /* PARTICIPANT_REMOVED */
	uint32_t reason;                      /* CTRL_CHANGE_RESPONSE */
	char name[3 * ENCOMSP_MAX_CHARS + 1]; /* PARTICIPANT/APP/WND_CREATED, as UTF-8 */
};

/* Parse the PDU at data[0..len). Returns the bytes it took (> 0), or -1 for
 * a malformed one (bad length, truncated body): the caller drops the rest
 * of the message. */
int encomsp_parse(const uint8_t *data, size_t len, struct encomsp_pdu *out);

#endif
