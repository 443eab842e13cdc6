/* libFuzzer target for the untrusted-input parsers in src/util/connstr.c.
 *
 * Whatever connstr_parse accepts must survive connstr_build and parse to the
 * same fields, and the rebuilt string must be a fixed point; whatever
 * invfile_parse_buffer accepts must be a connection string connstr_parse
 * accepts. A violation aborts so that libFuzzer keeps the input. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/connstr.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

static int same_opt(const char *a, const char *b)
{
	if (!a || !b) {
		return a == b;
	}
	return strcmp(a, b) == 0;
}

static void check_same(const struct connstr *a, const struct connstr *b)
{
	check(strcmp(a->auth_id, b->auth_id) == 0);
	check(same_opt(a->kh, b->kh));
	check(a->n_addrs == b->n_addrs);
	for (size_t i = 0; i < a->n_addrs; i++) {
		check(strcmp(a->addrs[i].host, b->addrs[i].host) == 0);
		check(a->addrs[i].port == b->addrs[i].port);
	}
}

static void roundtrip(const char *data, size_t size)
{
	struct connstr c;
	struct connstr c2;
	char *s = NULL;
	char *s2 = NULL;
	int r;

	if (connstr_parse(data, size, &c) != 0) {
		check(c.auth_id == NULL && c.kh == NULL && c.n_addrs == 0);
		return;
	}
	check(c.auth_id != NULL && c.n_addrs >= 1 && c.n_addrs <= CONNSTR_MAX_ADDRS);
	r = connstr_build(c.auth_id, c.kh, c.addrs, c.n_addrs, &s);
	if (r != 0) {
		/* Escaping grows a value at most sixfold ("'" is "&apos;"), so only an
		 * input near the size limit may rebuild to something too long. */
		check(r == -ENOMEM || (r == -EINVAL && size > CONNSTR_MAX_LEN / 8));
		connstr_clear(&c);
		return;
	}
	r = connstr_parse(s, strlen(s), &c2);
	check(r == 0 || r == -ENOMEM);
	if (r == 0) {
		check_same(&c, &c2);
		check(connstr_build(c2.auth_id, c2.kh, c2.addrs, c2.n_addrs, &s2) == 0);
		check(strcmp(s, s2) == 0);
		free(s2);
		connstr_clear(&c2);
	}
	free(s);
	connstr_clear(&c);
}

static void file_content(const char *data, size_t size)
{
	struct connstr c;
	char *cs = NULL;

	if (invfile_parse_buffer(data, size, &cs) != 0) {
		check(cs == NULL);
		return;
	}
	check(connstr_parse(cs, strlen(cs), &c) == 0);
	connstr_clear(&c);
	free(cs);
}

/* libFuzzer passes data in a heap buffer of exactly size bytes, so an overread
 * past size is caught by AddressSanitizer without copying here. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	roundtrip((const char *)data, size);
	file_content((const char *)data, size);
	return 0;
}
