/* UTF-8 and UTF-16LE for text viewers send and are sent (multiparty
 * names, clipboard text). Hand-written rather than WinPR's converters:
 * these take byte buffers of untrusted length, never read past them, cut
 * at a limit without splitting a surrogate pair, and turn broken sequences
 * into U+FFFD, so the result is always valid UTF-8. Fuzzed on their own
 * (fuzz/fuzz_text.c). No FreeRDP types. */
#ifndef RDPSHARE_UTIL_UTF16_H
#define RDPSHARE_UTIL_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* The n UTF-16LE code units at p as UTF-8 in out, which must hold 3 * n + 1
 * bytes; stops at the first NUL unit. Returns the bytes written before the
 * terminating NUL. */
size_t utf16le_to_utf8(const uint8_t *p, size_t n, char *out);

/* s (UTF-8, NUL-terminated; NULL is "") as at most max UTF-16 code units in
 * out. Returns the count. */
int utf8_to_utf16(const char *s, uint16_t *out, int max);

#endif
