#include "rdp/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winpr/wlog.h>

#include "util/text.h"

/* A line is capped: FreeRDP dumps whole buffers at TRACE. */
#define LINE_MAX_CHARS 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int current = RDP_LOG_QUIET;
static bool routed; /* under lock */

static const char *level_name(DWORD level)
{
	static const char *const names[] = {"trace", "debug", "info", "warning", "error", "fatal"};
	return level < sizeof(names) / sizeof(names[0]) ? names[level] : "log";
}

/* WLog's callback: on the thread that logged, under no lock of ours. One
 * fprintf per line, so lines of different threads do not interleave. */
static BOOL on_message(const wLogMessage *m)
{
	const char *text = m->TextString ? m->TextString : "";
	const char *prefix = m->PrefixString ? m->PrefixString : "";
	char *t = text_terminal(text, strlen(text), LINE_MAX_CHARS, TEXT_BARE);
	char *p = text_terminal(prefix, strlen(prefix), TEXT_NAME_MAX * 2, TEXT_BARE);
	fprintf(stderr, "rdpshare: freerdp %s: %s%s\n", level_name(m->Level), p ? p : "",
	        t ? t : "(out of memory)");
	free(t);
	free(p);
	return TRUE;
}

static DWORD to_wlog(int level)
{
	static const DWORD map[] = {WLOG_OFF, WLOG_WARN, WLOG_INFO, WLOG_DEBUG, WLOG_TRACE};
	return map[level];
}

/* RDPSHARE_LOG: a level by name or number, for debugging a program that
 * embeds the library without asking it; -1 when unset or unknown. */
static int env_level(void)
{
	static const char *const names[] = {"quiet", "warn", "info", "debug", "trace"};
	const char *v = getenv("RDPSHARE_LOG");
	if (!v || !*v) {
		return -1;
	}
	for (int i = 0; i <= RDP_LOG_TRACE; i++) {
		if (strcmp(v, names[i]) == 0 || (v[0] == '0' + i && !v[1])) {
			return i;
		}
	}
	return -1;
}

int rdp_log_apply(int level)
{
	level = level < RDP_LOG_QUIET   ? RDP_LOG_QUIET
	        : level > RDP_LOG_TRACE ? RDP_LOG_TRACE
	                                : level;
	int env = env_level();
	level = env > level ? env : level;
	pthread_mutex_lock(&lock);
	wLog *root = WLog_GetRoot();
	/* the appender once: replacing it while another thread logs through it
	 * is not safe in WinPR; the level may change at any time */
	if (root && !routed) {
		routed = true;
		WLog_SetLogAppenderType(root, WLOG_APPENDER_CALLBACK);
		wLogAppender *app = WLog_GetLogAppender(root);
		wLogCallbacks cbs = {.message = on_message};
		if (app) {
			WLog_ConfigureAppender(app, "callbacks", &cbs);
		}
		/* the module's name says which part of FreeRDP speaks */
		wLogLayout *layout = WLog_GetLogLayout(root);
		if (layout) {
			WLog_Layout_SetPrefixFormat(root, layout, "%mn: ");
		}
	}
	if (root && !getenv("WLOG_LEVEL")) {
		WLog_SetLogLevel(root, to_wlog(level));
	}
	atomic_store(&current, level);
	pthread_mutex_unlock(&lock);
	return level;
}

int rdp_log_level(void)
{
	return atomic_load(&current);
}
