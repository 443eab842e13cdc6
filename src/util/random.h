/* Random strings for secrets: invitation auth strings (the ticket a viewer
 * must present) and the passwords the rdpshare tool makes up. Each
 * character is drawn from the kernel's generator (getrandom(2)) by
 * rejection sampling, so every character of the alphabet is equally
 * likely whatever the alphabet's size; "byte % size" would favour the
 * first 256 % size characters. No dependencies. */
#ifndef RDPSHARE_UTIL_RANDOM_H
#define RDPSHARE_UTIL_RANDOM_H

#include <stddef.h>

/* Write len characters drawn uniformly and independently from alphabet (a
 * NUL-terminated string of distinct characters) to out, then a NUL: out
 * holds len + 1 bytes. Waits for the kernel's generator to be seeded, once
 * after boot. Returns 0, -EINVAL (empty alphabet or a character repeated)
 * or getrandom's negative errno; on failure out holds "". */
int util_random_string(char *out, size_t len, const char *alphabet);

#endif
