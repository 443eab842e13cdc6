#include "throttle.h"

#include <stdio.h>
#include <string.h>

void throttle_init(struct throttle *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < THROTTLE_GLOBAL_FAILS; i++) {
		t->recent[i] = INT64_MIN / 2; /* long ago */
	}
}

static struct throttle_addr *find(struct throttle *t, const char *ip)
{
	for (int i = 0; i < THROTTLE_ADDRS; i++) {
		if (t->addrs[i].ip[0] && strcmp(t->addrs[i].ip, ip) == 0) {
			return &t->addrs[i];
		}
	}
	return NULL;
}

int64_t throttle_wait(struct throttle *t, const char *ip, int64_t now, bool *global)
{
	*global = now < t->global_until_ms;
	if (*global) {
		return t->global_until_ms - now;
	}
	const struct throttle_addr *a = find(t, ip ? ip : "");
	return a && now < a->until_ms ? a->until_ms - now : 0;
}

int64_t throttle_failed(struct throttle *t, const char *ip, int64_t now, bool *global)
{
	*global = false;
	/* globally: the oldest of the last N failures within the window */
	t->recent[t->next] = now;
	t->next = (t->next + 1) % THROTTLE_GLOBAL_FAILS;
	if (now - t->recent[t->next] < THROTTLE_GLOBAL_WINDOW_MS && now >= t->global_until_ms) {
		t->global_until_ms = now + THROTTLE_GLOBAL_LOCK_MS;
		*global = true;
		return THROTTLE_GLOBAL_LOCK_MS;
	}
	ip = ip ? ip : "";
	struct throttle_addr *a = find(t, ip);
	if (a && now - a->last_ms > THROTTLE_FORGET_MS) {
		memset(a, 0, sizeof(*a));
		snprintf(a->ip, sizeof(a->ip), "%s", ip);
	}
	if (!a) {
		/* a free slot, else the one that failed longest ago */
		a = &t->addrs[0];
		for (int i = 0; i < THROTTLE_ADDRS && a->ip[0]; i++) {
			if (!t->addrs[i].ip[0] || t->addrs[i].last_ms < a->last_ms) {
				a = &t->addrs[i];
			}
		}
		memset(a, 0, sizeof(*a));
		snprintf(a->ip, sizeof(a->ip), "%s", ip);
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

void throttle_succeeded(struct throttle *t, const char *ip)
{
	struct throttle_addr *a = find(t, ip ? ip : "");
	if (a) {
		memset(a, 0, sizeof(*a));
	}
}
