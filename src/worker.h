/* Starting the library's worker threads. */
#ifndef RDPSHARE_WORKER_H
#define RDPSHARE_WORKER_H

#include <pthread.h>

/* pthread_create with every blockable signal blocked in the new thread, so
 * the application's signal handling (a handler, sigwait, signalfd in the
 * main thread) sees its signals and a worker never takes them. Returns 0 or
 * an errno value. */
int worker_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
