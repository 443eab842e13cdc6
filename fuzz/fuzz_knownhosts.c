/* libFuzzer target for rdpview's known-hosts parser (src/util/knownhosts.c).
 * Input: two bytes of port, a host up to the first newline, then the file.
 * Whatever is found is a well-formed KH on a line that exists; an entry
 * written for that host and port after the file is found (it or an earlier
 * one), and nothing is read past the end. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/knownhosts.h"

static void check(int cond)
{
	if (!cond) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2) {
		return 0;
	}
	int port = data[0] << 8 | data[1];
	const char *rest = (const char *)data + 2;
	size_t n = size - 2;
	const char *nl = memchr(rest, '\n', n);
	size_t host_len = nl ? (size_t)(nl - rest) : n;
	char *host = strndup(rest, host_len);
	const char *file = nl ? nl + 1 : rest + n;
	size_t file_len = nl ? n - host_len - 1 : 0;
	/* an exact-size copy, so ASan sees a read past the end */
	char *buf = malloc(file_len ? file_len : 1);
	if (!host || !buf) {
		abort();
	}
	memcpy(buf, file, file_len);
	size_t lines = 1;
	for (size_t i = 0; i < file_len; i++) {
		lines += buf[i] == '\n';
	}
	char *kh = NULL;
	int line = 0;
	int r = knownhosts_find(buf, file_len, host, port, &kh, &line);
	check(r == 1 || r == 0 || r == -EINVAL);
	check((r == 1) == (kh != NULL));
	if (r == 1) {
		check(knownhosts_valid_kh(kh));
		check(line >= 1 && (size_t)line <= lines);
	}
	char *entry = NULL;
	const char *pin = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	if (knownhosts_entry(host, port, pin, &entry) == 0) {
		check(r >= 0);
		size_t elen = strlen(entry);
		char *both = malloc(file_len + 1 + elen);
		if (!both) {
			abort();
		}
		memcpy(both, buf, file_len);
		both[file_len] = '\n';
		memcpy(both + file_len + 1, entry, elen);
		char *kh2 = NULL;
		int line2 = 0;
		check(knownhosts_find(both, file_len + 1 + elen, host, port, &kh2, &line2) == 1);
		/* the first entry counts: the file's own when it had one */
		check(strcmp(kh2, r == 1 ? kh : pin) == 0);
		free(kh2);
		free(both);
		free(entry);
	}
	free(kh);
	free(buf);
	free(host);
	return 0;
}
