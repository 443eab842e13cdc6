/* This machine's own addresses. A listener bound to a wildcard address
 * (0.0.0.0, ::) is no address a peer can dial, so whoever announces one
 * (the sharer's connection string, rdpview --listen) offers the addresses
 * of the machine's interfaces instead, outside ones first because peers
 * try them in order. No dependencies. */
#ifndef RDPSHARE_UTIL_HOSTADDRS_H
#define RDPSHARE_UTIL_HOSTADDRS_H

#include <stdbool.h>
#include <stddef.h>

/* INET6_ADDRSTRLEN + '%' + IF_NAMESIZE, with room to spare */
#define UTIL_HOSTADDR_LEN 64

struct util_hostaddr {
	char host[UTIL_HOSTADDR_LEN]; /* numeric; IPv6 without brackets, with %zone if link-local */
	int family;                   /* AF_INET or AF_INET6 */
	bool loopback;
};

/* The addresses of the interfaces that are up, of family (AF_INET,
 * AF_INET6, or AF_UNSPEC for both): all others first, in the system's
 * order, then loopback ones. Returns 0 with *out and *n set (*out NULL
 * when *n is 0), or a negative errno value. Ownership: *out is malloc'd,
 * caller frees. */
int util_hostaddrs_list(int family, struct util_hostaddr **out, size_t *n);

#endif
