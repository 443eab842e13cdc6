#include "throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

void throttle_init(struct throttle *t)
{
	memset(t, 0, sizeof(*t));
	for (int k = 0; k < THROTTLE_KINDS; k++) {
		for (int i = 0; i < THROTTLE_GLOBAL_FAILS; i++) {
			t->pools[k].recent[i] = INT64_MIN / 2; /* long ago */
		}
	}
}

const char *throttle_prefix(const char *ip, char *out, size_t len)
{
	char buf[INET6_ADDRSTRLEN + 1];
	size_t n = ip ? strcspn(ip, "%") : 0; /* a link-local zone names no prefix */
	snprintf(out, len, "?");
	if (n == 0 || n >= sizeof(buf)) {
		return out;
	}
	memcpy(buf, ip, n);
	buf[n] = '\0';
	unsigned char a[16];
	struct in6_addr v6;
	if (inet_pton(AF_INET6, buf, &v6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&v6)) {
			memcpy(a, &v6.s6_addr[12], 4);
		} else {
			memset(&v6.s6_addr[8], 0, 8);
			if (inet_ntop(AF_INET6, &v6, buf, sizeof(buf))) {
				snprintf(out, len, "%s/64", buf);
			}
			return out;
		}
	} else if (inet_pton(AF_INET, buf, a) != 1) {
		return out;
	}
	snprintf(out, len, "%u.%u.%u.0/24", a[0], a[1], a[2]);
	return out;
}

static struct throttle_addr *find(struct throttle_pool *p, const char *prefix)
{
	for (int i = 0; i < THROTTLE_ADDRS; i++) {
		if (p->addrs[i].prefix[0] && strcmp(p->addrs[i].prefix, prefix) == 0) {
			return &p->addrs[i];
		}
	}
	return NULL;
}

static struct throttle_pool *pool(struct throttle *t, enum throttle_kind kind)
{
	return &t->pools[kind == THROTTLE_TICKET ? THROTTLE_TICKET : THROTTLE_STRANGER];
}

int64_t throttle_wait(struct throttle *t, enum throttle_kind kind, const char *ip, int64_t now,
                      bool *global)
{
	struct throttle_pool *p = pool(t, kind);
	*global = now < p->global_until_ms;
	if (*global) {
		return p->global_until_ms - now;
	}
	char prefix[THROTTLE_PREFIX_LEN];
	const struct throttle_addr *a = find(p, throttle_prefix(ip, prefix, sizeof(prefix)));
	return a && now < a->until_ms ? a->until_ms - now : 0;
}

int64_t throttle_failed(struct throttle *t, enum throttle_kind kind, const char *ip, int64_t now,
                        bool *global)
{
	struct throttle_pool *p = pool(t, kind);
	*global = false;
	/* globally: the oldest of the last N failures within the window */
	p->recent[p->next] = now;
	p->next = (p->next + 1) % THROTTLE_GLOBAL_FAILS;
	if (now - p->recent[p->next] < THROTTLE_GLOBAL_WINDOW_MS && now >= p->global_until_ms) {
		p->global_until_ms = now + THROTTLE_GLOBAL_LOCK_MS;
		*global = true;
		return THROTTLE_GLOBAL_LOCK_MS;
	}
	char prefix[THROTTLE_PREFIX_LEN];
	throttle_prefix(ip, prefix, sizeof(prefix));
	struct throttle_addr *a = find(p, prefix);
	if (a && now - a->last_ms > THROTTLE_FORGET_MS) {
		memset(a, 0, sizeof(*a));
		snprintf(a->prefix, sizeof(a->prefix), "%s", prefix);
	}
	if (!a) {
		/* a free slot, else the one that failed longest ago */
		a = &p->addrs[0];
		for (int i = 0; i < THROTTLE_ADDRS && a->prefix[0]; i++) {
			if (!p->addrs[i].prefix[0] || p->addrs[i].last_ms < a->last_ms) {
				a = &p->addrs[i];
			}
		}
		memset(a, 0, sizeof(*a));
		snprintf(a->prefix, sizeof(a->prefix), "%s", prefix);
	}
	a->last_ms = now;
	if (++a->fails < THROTTLE_ADDR_FAILS) {
		return 0;
	}
	int64_t lock = THROTTLE_ADDR_LOCK_MS;
	for (int i = 0; i < a->lockouts && lock < THROTTLE_ADDR_LOCK_MAX_MS; i++) {
		lock *= 2;
	}
	lock = lock > THROTTLE_ADDR_LOCK_MAX_MS ? THROTTLE_ADDR_LOCK_MAX_MS : lock;
	a->lockouts++;
	a->fails = 0;
	a->until_ms = now + lock;
	return lock;
}

void throttle_succeeded(struct throttle *t, enum throttle_kind kind, const char *ip)
{
	char prefix[THROTTLE_PREFIX_LEN];
	struct throttle_addr *a = find(pool(t, kind), throttle_prefix(ip, prefix, sizeof(prefix)));
	if (a) {
		memset(a, 0, sizeof(*a));
	}
}
