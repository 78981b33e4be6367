#include "ternary_matmul.h"

static void own_pool_run(void* env, int threads, int64_t tasks, PoolTaskFn fn, void* ctx) {
  (void)env;
  pool_run(threads, tasks, fn, ctx);
}

const TernaryParallel ternary_own_pool = {own_pool_run, 0};

typedef struct {
  const TernaryProblem* p;
  QuantizedActivations qa;
  TernaryRowsFn rows;
  int vector_bytes;
  int64_t rows_per_task; /* of A, when quantizing */
  int64_t n_per_task;    /* of W, when multiplying */
} Job;

static void quantize_task(void* ctx, int64_t t) {
  Job* job = (Job*)ctx;
  const int64_t r0 = t * job->rows_per_task;
  const int64_t r1 = r0 + job->rows_per_task < job->p->m ? r0 + job->rows_per_task : job->p->m;
  quantize_activations(job->p, job->vector_bytes, r0, r1, &job->qa);
}

static void rows_task(void* ctx, int64_t t) {
  Job* job = (Job*)ctx;
  const int64_t n0 = t * job->n_per_task;
  const int64_t n1 = n0 + job->n_per_task < job->p->n ? n0 + job->n_per_task : job->p->n;
  job->rows(job->p, &job->qa, n0, n1);
}

void ternary_matmul(const TernaryProblem* p, TernaryIsa isa, int threads, void* scratch, const TernaryParallel* parallel) {
  Job job;
  const int64_t blocks = p->k_pad / p->block;
  char* at = (char*)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
  /* q first, 64-byte aligned (its size is a multiple of 128), then the scales and corrections. */
  job.qa.q = (int8_t*)at;
  job.qa.scale = (float*)(at + p->m * p->k_pad);
  job.qa.corr = job.qa.scale + p->m * blocks;
  job.p = p;
  job.rows = ternary_rows_fn(isa);
  job.vector_bytes = ternary_isa_vector_bytes(isa);
  if (threads < 1) threads = 1;
  /* A few rows quantize faster than threads start. */
  job.rows_per_task = p->m >= 8 ? (p->m + threads - 1) / threads : p->m;
  const int64_t quantize_tasks = (p->m + job.rows_per_task - 1) / job.rows_per_task;
  if (quantize_tasks > 1) parallel->run(parallel->env, threads, quantize_tasks, quantize_task, &job);
  else quantize_task(&job, 0);
  /* Tasks of 64 rows of W (fewer when there are few): small enough that a thread slowed by other load on a
   * shared machine leaves its share to the others, large enough that the tiles stay whole. */
  int64_t per = 64;
  while (per > 16 && (p->n + per - 1) / per < 4 * threads) per /= 2;
  job.n_per_task = per;
  parallel->run(parallel->env, threads, (p->n + per - 1) / per, rows_task, &job);
}
