/* Starting a helper thread that never takes the application's signals.
 * The library runs threads for the engine, the listener, each viewer, the
 * clipboard watcher and reverse dials; the application that links it may
 * handle signals with a handler, sigwait() or a signalfd in its main
 * thread, which only works if no other thread can receive them. So every
 * thread the library (or a tool) starts goes through here. No
 * dependencies beyond pthreads. */
#ifndef RDPSHARE_UTIL_THREAD_H
#define RDPSHARE_UTIL_THREAD_H

#include <pthread.h>

/* pthread_create(thread, NULL, fn, arg) with every blockable signal
 * blocked in the new thread; the caller's mask is unchanged. Returns 0 or
 * a negative errno value. The caller joins the thread. */
int util_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
