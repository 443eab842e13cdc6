/* Waking a thread that sleeps in poll() or epoll: an eventfd is readable
 * while its counter is not zero, so other threads (or a signal handler)
 * poke it and the sleeper drains it before it looks at what changed. The
 * fd is a plain int so it sits in a pollfd array, an epoll set or the
 * hub's subscriber list like any other. No dependencies. */
#ifndef RDPSHARE_UTIL_WAKE_H
#define RDPSHARE_UTIL_WAKE_H

#include <stdbool.h>

/* A new wake-up fd (close-on-exec, non-blocking), not poked. Returns the
 * fd, or a negative errno value. Ownership: the caller closes it with
 * close(2). */
int util_wake_create(void);

/* Make fd readable. Async-signal-safe and leaves errno as it was, so a
 * signal handler may call it. Never blocks: a counter that is already full
 * is readable anyway. */
void util_wake_poke(int fd);

/* Reset fd to not readable. Returns true when it had been poked since the
 * last drain. Never blocks. */
bool util_wake_drain(int fd);

#endif
