/*
 * A small fork-join pool for the kernel. onnxruntime's own intra-op pool is not reachable through the C
 * API version this addon declares, and it sleeps (spinning off) while our op runs, so these threads have the
 * cores. Workers spin for a short while after a job before sleeping: a decode step calls the op 120 times
 * with a few tens of microseconds of other ops between calls, and a futex wake-up each time would cost
 * more than that. They never spin longer than SPIN_NS, so an idle server holds no core.
 */
#include "thread_pool.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#define MAX_THREADS 64
#define SPIN_NS 200000L

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int started = 0;
static _Atomic uint64_t generation = 0;
static _Atomic int64_t next_task = 0;
static _Atomic int busy = 0;
static int job_threads = 0;
static int64_t job_tasks = 0;
static PoolTaskFn job_fn = 0;
static void* job_ctx = 0;

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void drain(void) {
  for (;;) {
    const int64_t t = atomic_fetch_add(&next_task, 1);
    if (t >= job_tasks) break;
    job_fn(job_ctx, t);
  }
}

static void* worker(void* arg) {
  const int index = (int)(intptr_t)arg; /* 1.. */
  uint64_t seen = 0;
  for (;;) {
    uint64_t g = atomic_load(&generation);
    if (g == seen) {
      const long until = now_ns() + SPIN_NS;
      int spins = 0;
      while ((g = atomic_load(&generation)) == seen) {
        if (++spins % 256 == 0 && now_ns() > until) break;
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
      }
      if (g == seen) {
        pthread_mutex_lock(&wake_lock);
        while ((g = atomic_load(&generation)) == seen) pthread_cond_wait(&wake, &wake_lock);
        pthread_mutex_unlock(&wake_lock);
      }
    }
    seen = g;
    if (index < job_threads) drain();
    atomic_fetch_sub(&busy, 1);
  }
  return 0;
}

void pool_run(int threads, int64_t tasks, PoolTaskFn fn, void* ctx) {
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  if (threads <= 1 || tasks <= 1) {
    for (int64_t t = 0; t < tasks; t++) fn(ctx, t);
    return;
  }
  pthread_mutex_lock(&run_lock);
  while (started < threads - 1) {
    pthread_t thread;
    if (pthread_create(&thread, 0, worker, (void*)(intptr_t)(started + 1)) != 0) break;
    pthread_detach(thread);
    started++;
  }
  job_threads = threads;
  job_tasks = tasks;
  job_fn = fn;
  job_ctx = ctx;
  atomic_store(&next_task, 0);
  atomic_store(&busy, started);
  pthread_mutex_lock(&wake_lock);
  atomic_fetch_add(&generation, 1);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&wake_lock);
  drain();
  while (atomic_load(&busy) > 0) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#else
    sched_yield();
#endif
  }
  pthread_mutex_unlock(&run_lock);
}
