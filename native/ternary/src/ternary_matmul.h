#ifndef BITNET_TERNARY_MATMUL_H
#define BITNET_TERNARY_MATMUL_H
#include "ternary_kernel.h"

/* Quantizes A and computes y on `threads` threads with the given path. `scratch` holds at least
 * quantized_activations_bytes(p) bytes. */
void ternary_matmul(const TernaryProblem* p, TernaryIsa isa, int threads, void* scratch);

#endif
