/* FreeRDP's and WinPR's log (WLog), routed through rdpshare: quiet unless
 * asked, always on stderr (never mixed into a program's stdout, which
 * carries the tool's JSON lines), each line tagged as FreeRDP's and escaped,
 * since FreeRDP quotes what peers send (names, host names, channel names).
 * Process-wide, as WLog is. */
#ifndef RDPSHARE_RDP_LOG_H
#define RDPSHARE_RDP_LOG_H

/* Levels as rdpshare_log_level (include/rdpshare.h): 0 nothing, 1
 * warnings and errors, 2 information, 3 debugging, 4 everything. */
#define RDP_LOG_QUIET 0
#define RDP_LOG_TRACE 4

/* Route WLog's root logger to us at level (clamped), or at RDPSHARE_LOG's
 * level from the environment (quiet, warn, info, debug, trace, or 0..4)
 * when that is higher. WLOG_LEVEL, FreeRDP's own switch, wins over both. Safe to call
 * again and from any thread; returns the level in force (0..4). */
int rdp_log_apply(int level);

/* The level set last (RDP_LOG_QUIET before any call). */
int rdp_log_level(void);

#endif
