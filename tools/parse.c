/* Strict number parsing for command-line and control-socket arguments:
 * the whole text must be the number(s), and out-of-range values are errors
 * (sscanf would silently overflow). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

bool tool_parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno) {
		return false;
	}
	*out = v;
	return true;
}

bool tool_parse_id(const char *s, long *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ') {
		return false;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || *end || v < 0) {
		return false;
	}
	*out = v;
	return true;
}

int tool_split_request(char *req, size_t len, char **argv, int max)
{
	int argc = 0;
	for (size_t i = 0; i < len; i += strlen(req + i) + 1) {
		if (argc == max) {
			return -1;
		}
		argv[argc++] = req + i;
	}
	return argc;
}

bool tool_parse_ints(const char *s, int *out, int n)
{
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno || v < INT_MIN || v > INT_MAX ||
		    *end != (i == n - 1 ? '\0' : ',')) {
			return false;
		}
		out[i] = (int)v;
		s = end + 1;
	}
	return true;
}
