/* The viewer's input (IRDPViewerInputSink) as RDP input events, sent from
 * the run thread in the order the application gave them. */
#include <freerdp/input.h>

#include "rdp/client_impl.h"

static UINT16 clamp16(int v)
{
	return (UINT16)(v < 0 ? 0 : v > 0xFFFF ? 0xFFFF : v);
}

static void send_button(rdpInput *in, const struct rdp_client_cmd *e)
{
	UINT16 x = clamp16(e->x), y = clamp16(e->y);
	switch (e->button) {
	case RDPSHARE_MOUSE_BUTTON1:
	case RDPSHARE_MOUSE_BUTTON2:
	case RDPSHARE_MOUSE_BUTTON3: {
		UINT16 b = e->button == RDPSHARE_MOUSE_BUTTON1   ? PTR_FLAGS_BUTTON1
		           : e->button == RDPSHARE_MOUSE_BUTTON2 ? PTR_FLAGS_BUTTON2
		                                                 : PTR_FLAGS_BUTTON3;
		freerdp_input_send_mouse_event(in, (UINT16)((e->down ? PTR_FLAGS_DOWN : 0) | b), x,
		                               y);
		break;
	}
	default: /* XBUTTON1, XBUTTON2 (viewer.c refuses the rest) */
		freerdp_input_send_extended_mouse_event(
		    in,
		    (UINT16)((e->down ? PTR_XFLAGS_DOWN : 0) |
		             (e->button == RDPSHARE_MOUSE_XBUTTON1 ? PTR_XFLAGS_BUTTON1
		                                                   : PTR_XFLAGS_BUTTON2)),
		    x, y);
		break;
	}
}

/* Wheel units in steps of at most 255: the PDU's rotation is 8 bits and a
 * sign (MS-RDPBCGR 2.2.8.1.1.3.1.1.3). */
static void send_wheel(rdpInput *in, int rotation, bool horizontal)
{
	UINT16 kind = horizontal ? PTR_FLAGS_HWHEEL : PTR_FLAGS_WHEEL;
	while (rotation != 0) {
		int step = rotation > 255 ? 255 : rotation < -255 ? -255 : rotation;
		rotation -= step;
		UINT16 flags =
		    step > 0 ? (UINT16)(kind | step)
		             : (UINT16)(kind | PTR_FLAGS_WHEEL_NEGATIVE | ((256 + step) & 0xFF));
		freerdp_input_send_mouse_event(in, flags, 0, 0);
	}
}

void rdp_client_send_input(struct rdp_client *c, const struct rdp_client_cmd *e)
{
	rdpInput *in = c->ctx->input;
	switch (e->kind) {
	case RDP_IN_MOVE:
		freerdp_input_send_mouse_event(in, PTR_FLAGS_MOVE, clamp16(e->x), clamp16(e->y));
		break;
	case RDP_IN_BUTTON:
		send_button(in, e);
		break;
	case RDP_IN_WHEEL:
		send_wheel(in, e->value, e->horizontal);
		break;
	case RDP_IN_SCANCODE: {
		/* KBD_FLAGS_DOWN means "was down already": a repeat */
		UINT16 flags = (UINT16)((e->up       ? KBD_FLAGS_RELEASE
		                         : e->repeat ? KBD_FLAGS_DOWN
		                                     : 0) |
		                        (e->extended ? KBD_FLAGS_EXTENDED : 0));
		freerdp_input_send_keyboard_event(in, flags, (UINT8)e->code);
		break;
	}
	case RDP_IN_UNICODE:
		freerdp_input_send_unicode_keyboard_event(in, e->up ? KBD_FLAGS_RELEASE : 0,
		                                          (UINT16)e->code);
		break;
	case RDP_IN_SYNC:
		freerdp_input_send_synchronize_event(in, (UINT32)e->value);
		break;
	case RDP_IN_MULTIPARTY:
		rdp_client_mp_send(c, e->data, e->len);
		break;
	}
}
