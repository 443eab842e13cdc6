#include "util/hostport.h"

#include <stdlib.h>
#include <string.h>

int hostport_split(const char *in, char *host, size_t hostlen, int *port)
{
	const char *p;
	*port = 0;
	if (in[0] == '[') {
		const char *end = strchr(in, ']');
		if (!end || (size_t)(end - in - 1) >= hostlen) {
			return -1;
		}
		memcpy(host, in + 1, (size_t)(end - in - 1));
		host[end - in - 1] = '\0';
		p = end[1] == ':' ? end + 2 : (end[1] ? NULL : "");
		if (!p) {
			return -1;
		}
	} else {
		const char *colon = strchr(in, ':');
		if (colon && strchr(colon + 1, ':')) {
			colon = NULL; /* a bare IPv6 address */
		}
		size_t hl = colon ? (size_t)(colon - in) : strlen(in);
		if (hl >= hostlen || hl == 0) {
			return -1;
		}
		memcpy(host, in, hl);
		host[hl] = '\0';
		p = colon ? colon + 1 : "";
	}
	if (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (*end || v < 0 || v > 65535) {
			return -1;
		}
		*port = (int)v;
	}
	return 0;
}
