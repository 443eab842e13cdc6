/* Test shim (LD_PRELOAD): socket options as a test needs them, whatever
 * this machine's sysctls say.
 *   SOCKOPT_SNDBUF_MAX=N     SO_SNDBUF asks are capped at N bytes, as the
 *                            kernel caps them at net.core.wmem_max without
 *                            privileges (212992 on a stock machine)
 *   SOCKOPT_NO_USER_TIMEOUT=1
 *                            TCP_USER_TIMEOUT is ignored: a peer whose
 *                            receive window stays zero is then never given
 *                            up by the kernel (as before Linux 5.11), so a
 *                            test sees what the program itself does */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	static int (*real)(int, int, int, const void *, socklen_t);
	if (!real) {
		real =
		    (int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT, "setsockopt");
	}
	const char *env;
	if (level == SOL_SOCKET && name == SO_SNDBUF && value && len == sizeof(int) &&
	    (env = getenv("SOCKOPT_SNDBUF_MAX"))) {
		int max = atoi(env);
		if (max > 0 && *(const int *)value > max) {
			return real(fd, level, name, &max, len);
		}
	}
	if (level == IPPROTO_TCP && name == TCP_USER_TIMEOUT &&
	    (env = getenv("SOCKOPT_NO_USER_TIMEOUT")) && env[0] == '1') {
		return 0;
	}
	return real(fd, level, name, value, len);
}
