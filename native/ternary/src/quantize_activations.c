/*
 * Per-block int8 quantization of A, laid out for the kernels. A vector load of V weight bytes covers the
 * 4V codes k0 + 4j + r (byte j, bit pair r); unpacking bit pair r gives a vector whose lane j is code
 * k0 + 4j + r. So each chunk of 4V activations is stored as four runs of V: run r holds q[k0 + 4j + r],
 * j = 0..V-1, and unpacked vector r multiplies run r lane by lane. A row whose length is not a multiple
 * of 4V ends in chunks of V/2 (the kernels finish it with half-width loads).
 */
#include <math.h>
#include <string.h>
#include "ternary_kernel.h"

size_t quantized_activations_bytes(const TernaryProblem* p) {
  const int64_t blocks = p->k_pad / p->block;
  return (size_t)(p->m * p->k_pad) + sizeof(float) * (size_t)(p->m * blocks + p->m) + 64;
}

static void permute_chunk(const int8_t* src, int8_t* dst, int v) {
  for (int r = 0; r < 4; r++)
    for (int j = 0; j < v; j++) dst[r * v + j] = src[4 * j + r];
}

void quantize_activations(const TernaryProblem* p, int vector_bytes, int64_t row0, int64_t row1, QuantizedActivations* qa) {
  const int64_t blocks = p->k_pad / p->block;
  int8_t plain[512];
  for (int64_t m = row0; m < row1; m++) {
    const float* a = p->a + m * p->k_in;
    int8_t* q = qa->q + m * p->k_pad;
    float corr = 0.0f;
    for (int64_t b = 0; b < blocks; b++) {
      const int64_t k0 = b * p->block;
      const int64_t k1 = k0 + p->block < p->k_in ? k0 + p->block : p->k_in;
      float amax = 0.0f;
      for (int64_t k = k0; k < k1; k++) amax = fmaxf(amax, fabsf(a[k]));
      const float scale = amax / 127.0f;
      const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
      int32_t sum = 0;
      for (int64_t k = k0; k < k0 + p->block; k++) {
        float x = k < k1 ? nearbyintf(a[k] * inv) : 0.0f;
        if (x > 127.0f) x = 127.0f;
        if (x < -127.0f) x = -127.0f;
        q[k] = (int8_t)x;
        sum += (int8_t)x;
      }
      qa->scale[m * blocks + b] = scale;
      corr += scale * (float)sum;
    }
    qa->corr[m] = corr;
    /* Permute in place, chunk by chunk (a chunk is at most 4 × 64 codes). */
    int64_t k = 0;
    for (int v = vector_bytes; v >= 16; v /= 2) {
      for (; k + 4 * v <= p->k_pad; k += 4 * v) {
        memcpy(plain, q + k, (size_t)(4 * v));
        permute_chunk(plain, q + k, v);
      }
    }
  }
}
