/* A tiny built-in bitmap font for the demo desktop (ASCII 32..126). */
#ifndef RDPSHARE_FONT_H
#define RDPSHARE_FONT_H

#include <stdint.h>

/* Draw text into a BGRX32 buffer of bw x bh pixels with top-left corner (x, y),
 * each font pixel scaled to scale x scale. bgrx is the pixel as a little-endian
 * uint32 (0xXXRRGGBB). Pixels outside the buffer are skipped; characters
 * outside 32..126 are drawn as '?'. */
void font_draw(uint8_t *buf, int stride, int bw, int bh, int x, int y, const char *text, int scale,
               uint32_t bgrx);

/* Width in pixels of text drawn at scale (advance of every glyph, so two
 * strings drawn side by side never touch). */
int font_text_width(const char *text, int scale);

/* Height in pixels of a line drawn at scale, descenders included. */
int font_height(int scale);

#endif
