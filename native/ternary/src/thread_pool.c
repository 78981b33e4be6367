/*
 * A small fork-join pool for the kernel called alone (the addon's `matmul`: tests and benchmarks). Inside a
 * session the op runs on onnxruntime's own intra-op threads instead (custom_op.c, KernelContext_ParallelFor).
 * Workers spin for a short while after a job before sleeping, never longer than SPIN_NS, so an idle process
 * holds no core.
 *
 * The caller never waits for a worker that has not joined: on a loaded machine a woken worker may not run
 * for milliseconds, and the caller simply does every task itself. A worker joins a job only while it is open
 * (under the lock), so once the caller closes it, it waits at most for workers already inside.
 */
#include "thread_pool.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#define MAX_THREADS 64
#define SPIN_NS 200000L

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;     /* the job's state below */
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t left = PTHREAD_COND_INITIALIZER;
static int started = 0;
static _Atomic uint64_t generation = 0;
static int open_job = 0;
static int inside = 0;     /* workers that joined the open job and have not left */
static int job_threads = 0;
static int64_t job_tasks = 0;
static PoolTaskFn job_fn = 0;
static void* job_ctx = 0;
static _Atomic int64_t next_task = 0;
static _Atomic int64_t done_tasks = 0;

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void relax(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static void drain(PoolTaskFn fn, void* ctx, int64_t tasks) {
  for (;;) {
    const int64_t t = atomic_fetch_add(&next_task, 1);
    if (t >= tasks) break;
    fn(ctx, t);
    atomic_fetch_add(&done_tasks, 1);
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
        relax();
      }
      if (g == seen) {
        pthread_mutex_lock(&lock);
        while ((g = atomic_load(&generation)) == seen) pthread_cond_wait(&wake, &lock);
        pthread_mutex_unlock(&lock);
      }
    }
    seen = g;
    pthread_mutex_lock(&lock);
    const int join = open_job && atomic_load(&generation) == g && index < job_threads;
    PoolTaskFn fn = job_fn;
    void* ctx = job_ctx;
    const int64_t tasks = job_tasks;
    if (join) inside++;
    pthread_mutex_unlock(&lock);
    if (!join) continue;
    drain(fn, ctx, tasks);
    pthread_mutex_lock(&lock);
    if (--inside == 0) pthread_cond_signal(&left);
    pthread_mutex_unlock(&lock);
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
  pthread_mutex_lock(&lock);
  job_threads = threads;
  job_tasks = tasks;
  job_fn = fn;
  job_ctx = ctx;
  atomic_store(&next_task, 0);
  atomic_store(&done_tasks, 0);
  open_job = 1;
  atomic_fetch_add(&generation, 1);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  drain(fn, ctx, tasks);
  /* Tasks a joined worker is still running. */
  while (atomic_load(&done_tasks) < tasks) relax();
  pthread_mutex_lock(&lock);
  open_job = 0;
  while (inside > 0) pthread_cond_wait(&left, &lock);
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&run_lock);
}
