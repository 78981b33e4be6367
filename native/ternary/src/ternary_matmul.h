#ifndef BITNET_TERNARY_MATMUL_H
#define BITNET_TERNARY_MATMUL_H
#include "ternary_kernel.h"

#include "thread_pool.h"

/* Who runs tasks 0..tasks-1 in parallel: the addon's own pool (pool_run), or onnxruntime's intra-op threads
 * inside the session (custom_op.c). */
typedef struct {
  void (*run)(void* env, int threads, int64_t tasks, PoolTaskFn fn, void* ctx);
  void* env;
} TernaryParallel;

/* The addon's pool. */
extern const TernaryParallel ternary_own_pool;

/* Quantizes A and computes y with the given path, split for `threads` threads and run by `parallel`.
 * `scratch` holds at least quantized_activations_bytes(p) bytes. */
void ternary_matmul(const TernaryProblem* p, TernaryIsa isa, int threads, void* scratch, const TernaryParallel* parallel);

#endif
