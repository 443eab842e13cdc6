/* libFuzzer target for the multiparty-channel parser (src/rdp/encomsp.c):
 * whatever a viewer sends is walked PDU by PDU as the connection does; a
 * PDU that parses never claims more bytes than were there, and the
 * builders' output for any name and numbers parses back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdp/encomsp.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		struct encomsp_pdu pdu;
		int used = encomsp_parse(data + off, size - off, &pdu);
		if (used < 0) {
			break;
		}
		check(used >= 4 && (size_t)used <= size - off);
		off += (size_t)used;
	}
	/* the input as a participant name (UTF-8, possibly broken) */
	char *name = malloc(size + 1);
	if (!name) {
		return 0;
	}
	memcpy(name, data, size);
	name[size] = '\0';
	struct encomsp_buf b = {0};
	uint32_t n = size >= 4 ? (uint32_t)data[0] | (uint32_t)data[1] << 8 : 7;
	encomsp_participant_created(&b, n, 0, (uint16_t)n, name);
	encomsp_participant_removed(&b, n, 2, n);
	encomsp_ctrl_change_response(&b, (uint16_t)n, n, n);
	encomsp_graphics_stream(&b, (int)(n & 1));
	encomsp_app_created(&b, (uint16_t)n, n, name);
	encomsp_wnd_created(&b, (uint16_t)n, n, n, name);
	encomsp_filter_state(&b, (int)(n & 1));
	free(name);
	check(!b.failed);
	off = 0;
	int count = 0;
	while (off < b.len) {
		struct encomsp_pdu pdu;
		int used = encomsp_parse(b.p + off, b.len - off, &pdu);
		check(used > 0);
		off += (size_t)used;
		count++;
	}
	check(off == b.len && count == 7);
	encomsp_buf_free(&b);
	return 0;
}
