/* Untrusted text made safe to show. Attendee names (also those of logons
 * that were refused before they authenticated), window titles and channel
 * text are chosen by a peer; printed raw, an ESC sequence in one rewrites the
 * user's terminal (OSC 52 even sets the clipboard), and a bidi override makes
 * "evil" read as "live". Two forms:
 *   - text_terminal: a readable, capped copy for a human's line, with every
 *     control and disguising character escaped visibly;
 *   - text_json_body: the exact text as the body of a JSON string, escaped so
 *     that the JSON line is valid and itself inert on a terminal.
 * Pure, no allocation besides text_terminal's result; fuzzed
 * (fuzz/fuzz_text.c). */
#ifndef RDPSHARE_UTIL_TEXT_H
#define RDPSHARE_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Caps for text_terminal: names (attendees, applications) and longer
 * lines (window titles, channel text, messages). */
#define TEXT_NAME_MAX 64
#define TEXT_LINE_MAX 200

enum text_quote {
	TEXT_BARE,            /* never quoted */
	TEXT_QUOTE_IF_NEEDED, /* quoted when empty or holding a space or '"': a name
	                         with spaces cannot pose as more key=value fields */
	TEXT_QUOTED,          /* always quoted */
};

/* True for a code point text_terminal and text_json_body escape: C0
 * controls, DEL, C1 controls, and the invisible characters that reorder or
 * break a line (U+061C, U+200E, U+200F, U+2028..U+202E, U+2066..U+2069). */
int text_is_unsafe(unsigned long cp);

/* Whether the len bytes at s are text a person can type: valid UTF-8 (as
 * text_terminal judges it) with no unsafe code point (above) and no byte
 * order mark (U+FEFF), which editors add unseen. */
bool text_is_typeable(const char *s, size_t len);

/* A copy of len bytes at s (NULL is "") for a terminal line. Printable UTF-8
 * passes unchanged; a backslash becomes "\\"; an unsafe code point (above)
 * becomes "\xHH" below U+0080 and "\uHHHH" from there; a byte that does not
 * begin a valid UTF-8 sequence (a stray continuation, an overlong form, a
 * surrogate, a cut sequence) becomes "\xHH". At most max_chars characters of
 * s are kept (an escape counts as one); past that, "…" ends the copy. When
 * quoted, '"' becomes "\"". The result is valid UTF-8 with no control byte.
 * Ownership: malloc'd and NUL-terminated, the caller frees; NULL when out of
 * memory. */
char *text_terminal(const char *s, size_t len, size_t max_chars, enum text_quote quote);

/* The len bytes at s (NULL is "") as the body of a JSON string (no quotes)
 * in out, which must hold 6 * len + 1 bytes. Exact for valid UTF-8: '"' and
 * '\\' are escaped, C0 as \b \f \n \r \t or \u00XX, and the other unsafe
 * code points as \uXXXX; a NUL byte is kept as \u0000. JSON cannot carry a
 * byte that is not UTF-8: each such byte becomes \ufffd. Returns the length
 * written before the terminating NUL. */
size_t text_json_body(const char *s, size_t len, char *out);

#endif
