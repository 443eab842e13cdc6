/* Interleaved RLE bitmap compression (MS-RDPBCGR 2.2.9.1.1.3.1.2.4) for 15,
 * 16 and 24 bits per pixel.
 *
 * Hand-written because FreeRDP 2.11's encoder (interleaved_compress) emitted
 * streams that its own decoder, and so xfreerdp, paints wrongly: swapped red
 * and blue and misplaced runs at 24 bpp, wrong pixels in busy tiles at 15/16
 * (tests/unit/test_encoder.c shows it). This one uses only the three orders
 * every decoder implements the same way: background run (copy the line
 * below), colour run and colour image.
 */
#ifndef RDPSHARE_RLE_H
#define RDPSHARE_RLE_H

#include <stddef.h>
#include <stdint.h>

/* The output capacity rle_encode needs at most for w x h pixels. */
size_t rle_bound(int w, int h, int bpp);

/* Compress w x h pixels of BGRX32 src (rows stride bytes apart) at bpp 15,
 * 16 or 24 into out (at least rle_bound bytes), scanlines bottom-up as RDP
 * bitmaps are. Returns the length written, or 0 for bad arguments. */
size_t rle_encode(const uint8_t *src, int stride, int w, int h, int bpp, uint8_t *out);

#endif
