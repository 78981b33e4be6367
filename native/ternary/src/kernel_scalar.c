/* The plain-C path: the reference the vector paths are tested against, and the fallback on any CPU.
 * It reads the activation layout of 32-byte vectors (quantize_activations with vector_bytes 32). */
#include "ternary_kernel.h"

void ternary_rows_scalar(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  const int64_t blocks = p->k_pad / p->block;
  const int64_t row_bytes = p->k_pad / 4;
  for (int64_t n = n0; n < n1; n++) {
    const uint8_t* w = p->w + n * row_bytes;
    for (int64_t m = 0; m < p->m; m++) {
      const int8_t* q = qa->q + m * p->k_pad;
      float acc = 0.0f;
      for (int64_t b = 0; b < blocks; b++) {
        int32_t dot = 0;
        for (int64_t k = b * p->block; k < (b + 1) * p->block; k += 128) {
          const uint8_t* wb = w + k / 4;
          const int8_t* qb = q + k;
          for (int r = 0; r < 4; r++)
            for (int j = 0; j < 32; j++) dot += ((wb[j] >> (2 * r)) & 3) * qb[r * 32 + j];
        }
        acc += qa->scale[m * blocks + b] * (float)dot;
      }
      p->y[m * p->n + n] = acc - qa->corr[m];
    }
  }
}
