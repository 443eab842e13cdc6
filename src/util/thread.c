#include "util/thread.h"

#include <signal.h>

int util_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	/* The new thread inherits the mask in force at pthread_create(). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -r;
}
