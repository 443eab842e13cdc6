#include "util/hostaddrs.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int util_hostaddrs_list(int family, struct util_hostaddr **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct ifaddrs *ifs = NULL;
	if (getifaddrs(&ifs) < 0) {
		return -errno;
	}
	size_t max = 0;
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		max++;
	}
	struct util_hostaddr *list = max ? calloc(max, sizeof(*list)) : NULL;
	if (max && !list) {
		freeifaddrs(ifs);
		return -ENOMEM;
	}
	size_t count = 0;
	for (int pass = 0; pass < 2; pass++) { /* outside addresses, then loopback */
		for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
			if (!i->ifa_addr || !(i->ifa_flags & IFF_UP)) {
				continue;
			}
			int fam = i->ifa_addr->sa_family;
			if ((fam != AF_INET && fam != AF_INET6) ||
			    (family != AF_UNSPEC && fam != family)) {
				continue;
			}
			bool loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
			if (loopback != (pass == 1)) {
				continue;
			}
			struct util_hostaddr *a = &list[count];
			socklen_t len = fam == AF_INET ? sizeof(struct sockaddr_in)
			                               : sizeof(struct sockaddr_in6);
			if (getnameinfo(i->ifa_addr, len, a->host, sizeof(a->host), NULL, 0,
			                NI_NUMERICHOST) != 0) {
				continue;
			}
			a->family = fam;
			a->loopback = loopback;
			count++;
		}
	}
	freeifaddrs(ifs);
	if (count == 0) {
		free(list);
		list = NULL;
	}
	*out = list;
	*n = count;
	return 0;
}
