/* Create FreeRDP's loggers up front (see wlog_warm.c for why). */
#ifndef RDPSHARE_WLOG_WARM_H
#define RDPSHARE_WLOG_WARM_H

/* Call once, before the first connection thread starts. */
void wlog_warm(void);

#endif
