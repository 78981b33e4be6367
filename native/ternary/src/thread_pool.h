#ifndef BITNET_THREAD_POOL_H
#define BITNET_THREAD_POOL_H
#include <stdint.h>

typedef void (*PoolTaskFn)(void* ctx, int64_t task);

/* Runs fn(ctx, 0..tasks-1) on `threads` threads (the caller's included); returns when all are done.
 * One process-wide pool, grown on demand; calls are serialized. */
void pool_run(int threads, int64_t tasks, PoolTaskFn fn, void* ctx);

#endif
