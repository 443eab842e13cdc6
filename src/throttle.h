/* Failed logons, throttled per source address and globally, so passwords
 * cannot be guessed at network speed. Rules (ours; the original documents
 * none):
 *  - an address with THROTTLE_ADDR_FAILS failed logons in a row is locked
 *    out for THROTTLE_ADDR_LOCK_MS, doubling with each further lockout (up
 *    to THROTTLE_ADDR_LOCK_MAX_MS); a good logon or an hour without
 *    failures forgets it;
 *  - THROTTLE_GLOBAL_FAILS failures within THROTTLE_GLOBAL_WINDOW_MS from
 *    all addresses together (many addresses guessing) lock every password
 *    check for THROTTLE_GLOBAL_LOCK_MS.
 * While locked, no password is even compared: a right guess is refused
 * like a wrong one. Pure bookkeeping with the time passed in; the caller
 * locks (session_admit holds the session lock). */
#ifndef RDPSHARE_THROTTLE_H
#define RDPSHARE_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define THROTTLE_ADDR_FAILS 5
#define THROTTLE_ADDR_LOCK_MS 5000
#define THROTTLE_ADDR_LOCK_MAX_MS (10 * 60 * 1000)
#define THROTTLE_FORGET_MS (60 * 60 * 1000)
#define THROTTLE_GLOBAL_FAILS 30
#define THROTTLE_GLOBAL_WINDOW_MS 60000
#define THROTTLE_GLOBAL_LOCK_MS 30000
#define THROTTLE_ADDRS 256 /* addresses remembered (least recently failed forgotten first) */

struct throttle_addr {
	char ip[64];
	int fails;    /* in a row */
	int lockouts; /* so far, for the doubling */
	int64_t last_ms;
	int64_t until_ms; /* locked until */
};

struct throttle {
	struct throttle_addr addrs[THROTTLE_ADDRS];
	int64_t recent[THROTTLE_GLOBAL_FAILS]; /* ring of the latest failure times */
	int next;
	int64_t global_until_ms;
};

void throttle_init(struct throttle *t);
/* Before a password check: 0 to go ahead, else how many ms ip must still
 * wait (*global tells which lock holds). */
int64_t throttle_wait(struct throttle *t, const char *ip, int64_t now, bool *global);
/* A wrong password from ip. Returns the length of a lockout it started
 * (ms; *global as above), 0 when none started. */
int64_t throttle_failed(struct throttle *t, const char *ip, int64_t now, bool *global);
/* A good logon from ip: its failures are forgotten. */
void throttle_succeeded(struct throttle *t, const char *ip);

#endif
