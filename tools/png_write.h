/* Writing a screenshot as PNG (see png.c). */
#ifndef RDPSHARE_TOOLS_PNG_H
#define RDPSHARE_TOOLS_PNG_H

#include <stdint.h>

/* w x h pixels, 4 bytes each (blue, green, red, unused), rows stride bytes
 * apart. Returns 0 or a negative errno. */
int png_write_bgrx(const char *path, const uint8_t *bgrx, int w, int h, int stride);

#endif
