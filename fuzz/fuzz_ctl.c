/* libFuzzer target for what the control socket takes apart (tools/parse.c,
 * src/util/hostport.c): a request split into arguments, each argument read as
 * every kind of value a command expects. Split arguments stay inside the
 * request; whatever parses as a number prints back to the same value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "util/hostport.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *req = malloc(size + 1);
	if (!req) {
		return 0;
	}
	memcpy(req, data, size);
	req[size] = '\0';
	char *argv[32];
	int argc = tool_split_request(req, size, argv, 32);
	check(argc >= -1 && argc <= 32);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		check(a >= req && a <= req + size && a + strlen(a) <= req + size);
		long v;
		if (tool_parse_long(a, &v)) {
			char back[32];
			snprintf(back, sizeof(back), "%ld", v);
			check(strtol(back, NULL, 10) == v);
		}
		if (tool_parse_id(a, &v)) {
			check(v >= 0);
		}
		int ints[4];
		if (tool_parse_ints(a, ints, 4)) {
			check(strchr(a, ',') != NULL);
		}
		char host[256];
		int port;
		if (hostport_split(a, host, sizeof(host), &port) == 0) {
			check(port >= 0 && port <= 65535 && strlen(host) < sizeof(host));
		}
	}
	free(req);
	return 0;
}
