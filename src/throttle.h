/* Failed logons, throttled per network prefix and globally, so passwords
 * cannot be guessed at network speed, yet strangers cannot lock out the
 * people who were invited. Rules (ours; the original documents none):
 *  - Failures count per prefix, not per address: an IPv4 address (also one
 *    written IPv4-mapped, ::ffff:a.b.c.d) counts for its /24, an IPv6
 *    address for its /64 (one host usually owns a whole /64, and many
 *    addresses of one /24 are cheap too). Anything that does not parse as
 *    an address counts for one shared bucket ("?").
 *  - A prefix with THROTTLE_ADDR_FAILS failed logons in a row is locked out
 *    for THROTTLE_ADDR_LOCK_MS, doubling with each further lockout (up to
 *    THROTTLE_ADDR_LOCK_MAX_MS); a good logon or an hour without failures
 *    forgets it.
 *  - THROTTLE_GLOBAL_FAILS failures within THROTTLE_GLOBAL_WINDOW_MS from
 *    all prefixes together (many prefixes guessing) lock every password
 *    check of that kind for THROTTLE_GLOBAL_LOCK_MS.
 *  - Two kinds of logon are kept apart, each with its own prefix table and
 *    its own global count: logons that present a valid ticket
 *    (THROTTLE_TICKET) and all others (THROTTLE_STRANGER). A logon presents
 *    a valid ticket when it is a Remote Assistance logon (password "*")
 *    whose working directory is, byte for byte, the auth string of an
 *    invitation of the session that is not revoked (see session_admit in
 *    invitation.c). The ticket is a 192-bit secret handed out with the
 *    invitation, so strangers cannot present one: however hard they guess,
 *    they lock out only strangers, and a holder of the invitation file
 *    still gets in. Holders who keep failing the invitation's password
 *    (a leaked file) are limited the same way, among themselves.
 * While locked, no password is even compared: a right guess is refused
 * like a wrong one. Pure bookkeeping with the time passed in; the caller
 * locks (session_admit holds the session lock). */
#ifndef RDPSHARE_THROTTLE_H
#define RDPSHARE_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define THROTTLE_ADDR_FAILS 5
#define THROTTLE_ADDR_LOCK_MS 5000
#define THROTTLE_ADDR_LOCK_MAX_MS (10 * 60 * 1000)
#define THROTTLE_FORGET_MS (60 * 60 * 1000)
#define THROTTLE_GLOBAL_FAILS 30
#define THROTTLE_GLOBAL_WINDOW_MS 60000
#define THROTTLE_GLOBAL_LOCK_MS 30000
#define THROTTLE_ADDRS                                                                             \
	256 /* prefixes remembered per kind (least recently failed forgotten first) */
#define THROTTLE_PREFIX_LEN 48 /* "a.b.c.0/24", "xxxx:xxxx:xxxx:xxxx::/64", "?" */

enum throttle_kind {
	THROTTLE_STRANGER, /* no valid ticket: plain logons, wrong or revoked tickets */
	THROTTLE_TICKET,   /* presents the ticket of a current invitation */
	THROTTLE_KINDS
};

struct throttle_addr {
	char prefix[THROTTLE_PREFIX_LEN];
	int fails;    /* in a row */
	int lockouts; /* so far, for the doubling */
	int64_t last_ms;
	int64_t until_ms; /* locked until */
};

struct throttle_pool {
	struct throttle_addr addrs[THROTTLE_ADDRS];
	int64_t recent[THROTTLE_GLOBAL_FAILS]; /* ring of the latest failure times */
	int next;
	int64_t global_until_ms;
};

struct throttle {
	struct throttle_pool pools[THROTTLE_KINDS];
};

void throttle_init(struct throttle *t);
/* The prefix ip counts for, written into out (at least THROTTLE_PREFIX_LEN
 * bytes): "a.b.c.0/24" for IPv4 and IPv4-mapped IPv6, the /64 as
 * "x:x:x:x::/64" for IPv6 (a "%zone" suffix ignored), "?" for NULL or
 * anything else. Returns out. */
const char *throttle_prefix(const char *ip, char *out, size_t len);
/* Before a password check: 0 to go ahead, else how many ms a logon of that
 * kind from ip must still wait (*global tells which lock holds). */
int64_t throttle_wait(struct throttle *t, enum throttle_kind kind, const char *ip, int64_t now,
                      bool *global);
/* A failed logon of that kind from ip. Returns the length of a lockout it
 * started (ms; *global as above: false means ip's prefix), 0 when none. */
int64_t throttle_failed(struct throttle *t, enum throttle_kind kind, const char *ip, int64_t now,
                        bool *global);
/* A good logon of that kind from ip: its prefix's failures are forgotten. */
void throttle_succeeded(struct throttle *t, enum throttle_kind kind, const char *ip);

#endif
