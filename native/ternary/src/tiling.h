/* The loop every vector path shares: rows of W in tiles of 16 that stay in L2 while every row of A passes
 * over them, eight or four rows of A at a time sharing each unpacked weight vector (prefill; eight where
 * the path has the registers), then the rest one by one (decode is all "rest"). */
#ifndef BITNET_TILING_H
#define BITNET_TILING_H
#include "ternary_kernel.h"

typedef void (*TernaryRowFn)(const TernaryProblem* p, const QuantizedActivations* qa, int64_t m0, const uint8_t* w, float* y);

static inline void ternary_tiled(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1, TernaryRowFn one,
                                 TernaryRowFn four, TernaryRowFn eight) {
  const int64_t row_bytes = p->k_pad / 4;
  const int64_t tile = 16;
  for (int64_t t0 = n0; t0 < n1; t0 += tile) {
    const int64_t t1 = t0 + tile < n1 ? t0 + tile : n1;
    int64_t m = 0;
    if (eight)
      for (; m + 8 <= p->m; m += 8)
        for (int64_t n = t0; n < t1; n++) eight(p, qa, m, p->w + n * row_bytes, p->y + n);
    if (four)
      for (; m + 4 <= p->m; m += 4)
        for (int64_t n = t0; n < t1; n++) four(p, qa, m, p->w + n * row_bytes, p->y + n);
    for (; m < p->m; m++)
      for (int64_t n = t0; n < t1; n++) one(p, qa, m, p->w + n * row_bytes, p->y + n);
  }
}
#endif
