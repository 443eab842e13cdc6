/* "ADDR", "ADDR:PORT", "[IPV6]" or "[IPV6]:PORT", and a bare IPv6 address:
 * the one grammar for addresses the library and both tools take. No
 * dependencies. */
#ifndef RDPSHARE_UTIL_HOSTPORT_H
#define RDPSHARE_UTIL_HOSTPORT_H

#include <stddef.h>

/* Split in into host (without brackets) and port (0 when absent). Returns 0,
 * or -1 for an empty or too long host, a bad bracket, or a port that is not
 * a number from 0 to 65535. */
int hostport_split(const char *in, char *host, size_t hostlen, int *port);

#endif
