/* libFuzzer target for the failed-logon throttle (src/throttle.c): any bytes
 * as an address give a prefix that is "?" or an IPv4 /24 or IPv6 /64 that
 * maps to itself, within the room given; and any run of failures, waits and
 * successes from such addresses, with times that only move forward, keeps
 * every wait within the longest lock. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "throttle.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ip[80], out[THROTTLE_PREFIX_LEN], again[THROTTLE_PREFIX_LEN];
	size_t n = size < sizeof(ip) - 1 ? size : sizeof(ip) - 1;
	memcpy(ip, data, n);
	ip[n] = '\0';
	throttle_prefix(ip, out, sizeof(out));
	check(strlen(out) < sizeof(out));
	size_t len = strlen(out);
	check(strcmp(out, "?") == 0 || (len > 3 && (strcmp(out + len - 3, "/24") == 0 ||
	                                            strcmp(out + len - 3, "/64") == 0)));
	if (strcmp(out, "?") != 0) {
		/* the prefix's own address counts for the same prefix */
		out[len - 3] = '\0';
		throttle_prefix(out, again, sizeof(again));
		out[len - 3] = '/';
		check(strcmp(out, again) == 0);
	}
	/* a short room is cut, never overrun */
	char small[6] = "XXXXX";
	throttle_prefix(ip, small, 3);
	check(strlen(small) < 3 && small[3] == 'X');

	/* the rest drives the bookkeeping: each byte one event */
	static struct throttle t;
	throttle_init(&t);
	int64_t now = 0;
	const char *addrs[] = {ip, "10.0.0.1", "10.0.0.2", "2001:db8::1", "?"};
	for (size_t i = 0; i < size; i++) {
		uint8_t b = data[i];
		enum throttle_kind kind = (b & 1) ? THROTTLE_TICKET : THROTTLE_STRANGER;
		const char *a = addrs[(b >> 1) % 5];
		bool global;
		now += (b >> 4) * 997;
		switch ((b >> 1) & 3) {
		case 0:
		case 1:
			check(throttle_failed(&t, kind, a, now, &global) <=
			      THROTTLE_ADDR_LOCK_MAX_MS);
			break;
		case 2:
			throttle_succeeded(&t, kind, a);
			break;
		default: {
			int64_t w = throttle_wait(&t, kind, a, now, &global);
			check(w >= 0 && w <= THROTTLE_ADDR_LOCK_MAX_MS);
		}
		}
	}
	return 0;
}
