/* Monotonic time, read the same way everywhere: pacing, deadlines, logon
 * guards and frame times all compare against one clock (CLOCK_MONOTONIC),
 * so a value taken in one module can be subtracted from one taken in
 * another. Wall-clock changes never move it. No dependencies. */
#ifndef RDPSHARE_UTIL_CLOCK_H
#define RDPSHARE_UTIL_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds. */
int64_t util_clock_ms(void);

/* CLOCK_MONOTONIC in microseconds: the clock of frame and unit times
 * (encode/frame.h) and of the t_us values the tools print. */
int64_t util_clock_us(void);

#endif
