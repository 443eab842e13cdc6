/* Viewer input: RDP keyboard and mouse events turned into capture input for
 * the engine to inject, only while the attendee is INTERACTIVE. Keys and
 * buttons it holds are tracked so that a demotion or a disconnect releases
 * them instead of leaving a key stuck down on the sharer's desktop. */
#ifndef RDPSHARE_RDP_INPUT_H
#define RDPSHARE_RDP_INPUT_H

#include <stdbool.h>
#include <stdint.h>

struct engine;
struct rdp_host;
struct host_member;
struct member_stats;

struct input_sink {
	struct engine *engine;
	const struct rdp_host *host;
	struct host_member *member;
	struct member_stats *stats;
	uint64_t keys[8];      /* held scancodes, 0x100 marks extended: 512 bits */
	uint32_t buttons;      /* held buttons, bit n = cap button code n */
	int x, y;              /* last pointer position, shared-rect coordinates */
	int high_surrogate[2]; /* first half of a UTF-16 pair, up and down */
};

/* The handlers take the RDP PDU fields as they arrive (MS-RDPBCGR 2.2.8.1.1.3.1.1). */
void input_key(struct input_sink *k, uint16_t flags, uint16_t code);
void input_unicode(struct input_sink *k, uint16_t flags, uint16_t code);
void input_mouse(struct input_sink *k, uint16_t flags, uint16_t x, uint16_t y);
void input_extended_mouse(struct input_sink *k, uint16_t flags, uint16_t x, uint16_t y);

/* Release everything held (level fell below INTERACTIVE, or the viewer left). */
void input_release_all(struct input_sink *k);

/* Route a peer's input callbacks to its peer_ctx's sink (rdp/peer_ctx.h). */
typedef struct rdp_input rdpInput;
void input_attach(rdpInput *input);

#endif
