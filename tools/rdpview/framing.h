/* rdpview --channel: where the messages are in what arrives on stdin, a
 * message per line or, with --binary, each after a 4-byte big-endian
 * length. No FreeRDP types, so it is fuzzed on its own (fuzz_vcframe). */
#ifndef RDPVIEW_FRAMING_H
#define RDPVIEW_FRAMING_H

#include <stdbool.h>
#include <stddef.h>

/* The first message in buf[0..len): returns 1 and its place (data at
 * *start, *mlen bytes; the next one begins at *next), 0 when it is not all
 * there yet, -1 when it is longer than max (the stream cannot be trusted
 * any further). */
int frame_next(const char *buf, size_t len, bool binary, size_t max, size_t *start, size_t *mlen,
               size_t *next);

#endif
