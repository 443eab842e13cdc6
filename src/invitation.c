#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_internal.h"
#include "util/clock.h"
#include "util/connstr.h"
#include "util/result.h"
#include "util/random.h"

#define MAX_FIELD 255

static bool too_long(const char *s)
{
	return s && strlen(s) > MAX_FIELD;
}

/* 32 random URL-safe characters (192 bits): unguessable, and safe inside
 * XML attributes and command lines. */
static char *generate_ticket(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	enum { TICKET_LEN = 32 };
	char *t = malloc(TICKET_LEN + 1);
	if (t && util_random_string(t, TICKET_LEN, alphabet) < 0) {
		free(t);
		t = NULL;
	}
	return t;
}

int rdpshare_session_create_invitation(rdpshare_session *s, const char *auth_string,
                                       const char *group, const char *password, int attendee_limit,
                                       rdpshare_invitation **out)
{
	if (!s || !out) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	*out = NULL;
	if (s->state == SESSION_CLOSED) {
		return RDPSHARE_E_CLOSED;
	}
	if (too_long(auth_string) || too_long(group) || too_long(password) || attendee_limit < 0 ||
	    (auth_string && !*auth_string)) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (auth_string && rdpshare_session_find_invitation(s, auth_string)) {
		return RDPSHARE_E_INVALIDARG; /* must be unique for the session */
	}
	rdpshare_invitation *inv = calloc(1, sizeof(*inv));
	if (!inv) {
		return RDPSHARE_E_NOMEM;
	}
	inv->session = s;
	inv->auth_string = auth_string ? strdup(auth_string) : generate_ticket();
	inv->group = strdup(group ? group : "");
	inv->password = strdup(password ? password : "");
	inv->limit = attendee_limit;
	atomic_init(&inv->attendees, 0);
	if (!inv->auth_string || !inv->group || !inv->password) {
		goto fail;
	}
	pthread_mutex_lock(&s->lock);
	rdpshare_invitation **grown =
	    // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	    realloc(s->invitations, sizeof(*grown) * (size_t)(s->n_invitations + 1));
	if (!grown) {
		pthread_mutex_unlock(&s->lock);
		goto fail;
	}
	s->invitations = grown;
	s->invitations[s->n_invitations++] = inv;
	pthread_mutex_unlock(&s->lock);
	*out = inv;
	return RDPSHARE_OK;
fail:
	free(inv->auth_string);
	free(inv->group);
	free(inv->password);
	free(inv);
	return RDPSHARE_E_NOMEM;
}

void invitation_free(rdpshare_invitation *inv)
{
	if (!inv) {
		return;
	}
	/* The password leaves no copy behind in freed memory. */
	OPENSSL_cleanse(inv->password, strlen(inv->password));
	free(inv->auth_string);
	free(inv->group);
	free(inv->password);
	free(inv);
}

int rdpshare_session_invitation_count(rdpshare_session *s)
{
	if (!s) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(s);
	return s->n_invitations;
}

rdpshare_invitation *rdpshare_session_invitation_at(rdpshare_session *s, int index)
{
	if (!s || !pthread_equal(pthread_self(), s->owner) || index < 0 ||
	    index >= s->n_invitations) {
		return NULL;
	}
	return s->invitations[index];
}

rdpshare_invitation *rdpshare_session_find_invitation(rdpshare_session *s, const char *auth_string)
{
	if (!s || !auth_string || !pthread_equal(pthread_self(), s->owner)) {
		return NULL;
	}
	for (int i = 0; i < s->n_invitations; i++) {
		if (strcmp(s->invitations[i]->auth_string, auth_string) == 0) {
			return s->invitations[i];
		}
	}
	return NULL;
}

int rdpshare_invitation_get_connection_string(rdpshare_invitation *inv, char **out)
{
	if (!inv || !out) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdpshare_session *s = inv->session;
	CHECK_OWNER(s);
	*out = NULL;
	if (s->state != SESSION_OPEN) {
		return s->state == SESSION_CLOSED ? RDPSHARE_E_CLOSED : RDPSHARE_E_NOT_OPEN;
	}
	struct connstr_addr addrs[CONNSTR_MAX_ADDRS];
	size_t n = 0;
	for (int i = 0; i < s->n_listen_addrs && n < CONNSTR_MAX_ADDRS; i++) {
		const char *a = s->listen_addrs[i];
		const char *colon = strrchr(a, ':');
		if (!colon) {
			continue;
		}
		const char *host = a;
		size_t hl = (size_t)(colon - a);
		if (host[0] == '[' && hl >= 2) { /* "[v6]:port" */
			host++;
			hl -= 2;
		}
		if (hl >= sizeof(addrs[n].host)) {
			continue;
		}
		memcpy(addrs[n].host, host, hl);
		addrs[n].host[hl] = '\0';
		addrs[n].port = (uint16_t)strtol(colon + 1, NULL, 10);
		n++;
	}
	int r = connstr_build(inv->auth_string, s->key_hash, addrs, n, out);
	if (r == -ENOMEM) {
		return RDPSHARE_E_NOMEM;
	}
	return r < 0 ? RDPSHARE_E_INVALIDARG : RDPSHARE_OK;
}

int rdpshare_invitation_write_file(rdpshare_invitation *inv, const char *path)
{
	if (!inv || !path) {
		return RDPSHARE_E_INVALIDARG;
	}
	char *cs = NULL;
	int r = rdpshare_invitation_get_connection_string(inv, &cs);
	if (r < 0) {
		return r;
	}
	r = invfile_write(path, cs);
	free(cs);
	return util_result_of_errno(r);
}

const char *rdpshare_invitation_auth_string(const rdpshare_invitation *inv)
{
	return inv ? inv->auth_string : NULL;
}

const char *rdpshare_invitation_group(const rdpshare_invitation *inv)
{
	return inv ? inv->group : NULL;
}

const char *rdpshare_invitation_password(const rdpshare_invitation *inv)
{
	return inv ? inv->password : NULL;
}

int rdpshare_invitation_get_limit(const rdpshare_invitation *inv)
{
	if (!inv) {
		return RDPSHARE_E_INVALIDARG;
	}
	pthread_mutex_lock(&inv->session->lock);
	int l = inv->limit;
	pthread_mutex_unlock(&inv->session->lock);
	return l;
}

int rdpshare_invitation_set_limit(rdpshare_invitation *inv, int limit)
{
	if (!inv || limit < 0) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(inv->session);
	pthread_mutex_lock(&inv->session->lock);
	inv->limit = limit;
	pthread_mutex_unlock(&inv->session->lock);
	return RDPSHARE_OK;
}

bool rdpshare_invitation_is_revoked(const rdpshare_invitation *inv)
{
	if (!inv) {
		return false;
	}
	pthread_mutex_lock(&inv->session->lock);
	bool r = inv->revoked;
	pthread_mutex_unlock(&inv->session->lock);
	return r;
}

int rdpshare_invitation_set_revoked(rdpshare_invitation *inv, bool revoked)
{
	if (!inv) {
		return RDPSHARE_E_INVALIDARG;
	}
	CHECK_OWNER(inv->session);
	pthread_mutex_lock(&inv->session->lock);
	inv->revoked = revoked;
	pthread_mutex_unlock(&inv->session->lock);
	return RDPSHARE_OK;
}

int rdpshare_invitation_attendee_count(const rdpshare_invitation *inv)
{
	return inv ? atomic_load(&((rdpshare_invitation *)inv)->attendees) : RDPSHARE_E_INVALIDARG;
}

/* Constant time: both sides are hashed and the digests compared with
 * CRYPTO_memcmp, so response timing tells an attacker neither how much of
 * a guess was right nor the secret's length. */
static bool secret_equal(const char *want, const char *got)
{
	unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)want, strlen(want), a);
	SHA256((const unsigned char *)got, strlen(got), b);
	bool same = CRYPTO_memcmp(a, b, sizeof(a)) == 0;
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(b, sizeof(b));
	return same;
}

/* ticketed: the logon named this invitation by its ticket. An invitation
 * without a password admits only such logons (RA clients send "*" or
 * nothing as its password): a plain logon with an empty password would
 * otherwise walk in knowing nothing, where the original never admits
 * without the connection string's ticket. */
static bool password_matches(const char *want, const char *got, bool ticketed)
{
	if (!*want) {
		return ticketed && (!*got || strcmp(got, "*") == 0);
	}
	return secret_equal(want, got);
}

/* Returns 0 (admitted, count raised) or the refusal reason. Under s->lock. */
static int check_one(rdpshare_invitation *inv, const char *password, bool ticketed)
{
	if (!password_matches(inv->password, password ? password : "", ticketed)) {
		return RDPSHARE_REFUSED_BAD_PASSWORD;
	}
	if (inv->revoked) {
		return RDPSHARE_REFUSED_REVOKED;
	}
	if (atomic_load(&inv->attendees) >= inv->limit) {
		return RDPSHARE_REFUSED_LIMIT;
	}
	atomic_fetch_add(&inv->attendees, 1);
	return 0;
}

/* The invitation whose ticket the logon presents, or NULL. Every
 * invitation is compared in constant time: for one without a password
 * the ticket is the only secret. Under s->lock. */
static rdpshare_invitation *by_ticket(rdpshare_session *s, const char *ticket)
{
	rdpshare_invitation *found = NULL;
	for (int i = 0; ticket && *ticket && i < s->n_invitations; i++) {
		if (secret_equal(s->invitations[i]->auth_string, ticket) && !found) {
			found = s->invitations[i];
		}
	}
	return found;
}

int session_admit(rdpshare_session *s, const struct admission *adm, rdpshare_attendee **out)
{
	int why = RDPSHARE_REFUSED_BAD_PASSWORD;
	rdpshare_invitation *chosen = NULL;
	*out = NULL;
	int64_t now = util_clock_ms();
	bool global = false;
	int64_t lock_ms = 0;
	pthread_mutex_lock(&s->lock);
	/* A logon presents a ticket when it is a Remote Assistance logon
	 * (rdp/logon.c: password "*", the working directory set) whose working
	 * directory is, byte for byte, the auth string of an invitation that is
	 * not revoked. Only then is it counted apart from strangers, whose
	 * failures cannot lock it out (throttle.h); a wrong, unknown or revoked
	 * ticket is a stranger's. */
	rdpshare_invitation *named = by_ticket(s, adm->ticket);
	enum throttle_kind kind = named && !named->revoked ? THROTTLE_TICKET : THROTTLE_STRANGER;
	if (s->state != SESSION_OPEN) {
		why = RDPSHARE_REFUSED_NOT_OPEN;
	} else if (throttle_wait(&s->throttle, kind, adm->peer_ip, now, &global) > 0) {
		why = RDPSHARE_REFUSED_THROTTLED; /* not even compared */
	} else if (adm->ticket && *adm->ticket) {
		/* a ticket names its invitation; an unknown one is a wrong guess */
		if (named) {
			why = check_one(named, adm->password, true);
			chosen = why == 0 ? named : NULL;
		}
	} else {
		/* A plain logon names no invitation: the password picks it. The most
		 * telling refusal wins (a matching but full invitation says "limit"). */
		for (int i = 0; i < s->n_invitations && !chosen; i++) {
			int r = check_one(s->invitations[i], adm->password, false);
			if (r == 0) {
				chosen = s->invitations[i];
				why = 0;
			} else if (r > why || why == RDPSHARE_REFUSED_BAD_PASSWORD) {
				why = r;
			}
		}
	}
	if (why == RDPSHARE_REFUSED_BAD_PASSWORD) {
		lock_ms = throttle_failed(&s->throttle, kind, adm->peer_ip, now, &global);
	} else if (chosen) {
		throttle_succeeded(&s->throttle, kind, adm->peer_ip);
	}
	pthread_mutex_unlock(&s->lock);
	char prefix[THROTTLE_PREFIX_LEN];
	throttle_prefix(adm->peer_ip, prefix, sizeof(prefix));
	if (lock_ms > 0) {
		session_post_throttled(s, global ? NULL : prefix, (int)((lock_ms + 999) / 1000));
	}
	if (!chosen) {
		char addr[300];
		snprintf(addr, sizeof(addr), "%s:%d", adm->peer_ip ? adm->peer_ip : "?",
		         adm->peer_port);
		session_post_refusal(s, (enum rdpshare_refusal)why, adm->name, addr);
		return why;
	}
	int level = (int)props_get(&s->props, PROP_DEFAULT_CONTROL_LEVEL);
	rdpshare_attendee *a =
	    attendee_new(atomic_fetch_add(&s->next_attendee_id, 1), adm, chosen, level);
	if (!a) {
		atomic_fetch_sub(&chosen->attendees, 1);
		return RDPSHARE_REFUSED_PROTOCOL;
	}
	*out = a;
	return 0;
}
