/*
 * AVX2: one 32-byte load of weights is 128 codes; four shift-and-mask steps give four vectors of codes
 * (0..2, unsigned) that maddubs multiplies with four 32-byte runs of int8 activations, adding pairs into
 * int16 (|sum| ≤ 4 · 2 · 2 · 127 per 128 codes, so a block of up to 2048 codes cannot overflow), then madd
 * widens to int32 once per block and the block's scale is applied in float. The loop over rows: tiling.h.
 */
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include "x86_hsum.h"
#include "tiling.h"

#define AVX2 __attribute__((target("avx2,fma")))

#define ROWS_AVX2(MR)                                                                                     \
  static AVX2 void rows_avx2_##MR(const TernaryProblem* p, const QuantizedActivations* qa, int64_t m0,   \
                                  const uint8_t* w, float* y) {                                           \
    const int64_t blocks = p->k_pad / p->block;                                                           \
    const __m256i mask = _mm256_set1_epi8(3);                                                             \
    const __m256i ones = _mm256_set1_epi16(1);                                                            \
    __m256 acc[MR];                                                                                       \
    for (int i = 0; i < MR; i++) acc[i] = _mm256_setzero_ps();                                            \
    for (int64_t b = 0; b < blocks; b++) {                                                                \
      __m256i sum[MR];                                                                                    \
      for (int i = 0; i < MR; i++) sum[i] = _mm256_setzero_si256();                                       \
      for (int64_t k = b * p->block; k < (b + 1) * p->block; k += 128) {                                  \
        const __m256i wv = _mm256_loadu_si256((const __m256i*)(w + k / 4));                               \
        const __m256i c0 = _mm256_and_si256(wv, mask);                                                    \
        const __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(wv, 2), mask);                              \
        const __m256i c2 = _mm256_and_si256(_mm256_srli_epi16(wv, 4), mask);                              \
        const __m256i c3 = _mm256_and_si256(_mm256_srli_epi16(wv, 6), mask);                              \
        for (int i = 0; i < MR; i++) {                                                                    \
          const int8_t* q = qa->q + (m0 + i) * p->k_pad + k;                                              \
          __m256i s = _mm256_maddubs_epi16(c0, _mm256_loadu_si256((const __m256i*)q));                    \
          s = _mm256_add_epi16(s, _mm256_maddubs_epi16(c1, _mm256_loadu_si256((const __m256i*)(q + 32))));\
          s = _mm256_add_epi16(s, _mm256_maddubs_epi16(c2, _mm256_loadu_si256((const __m256i*)(q + 64))));\
          s = _mm256_add_epi16(s, _mm256_maddubs_epi16(c3, _mm256_loadu_si256((const __m256i*)(q + 96))));\
          sum[i] = _mm256_add_epi16(sum[i], s);                                                           \
        }                                                                                                 \
      }                                                                                                   \
      for (int i = 0; i < MR; i++) {                                                                      \
        const __m256 scale = _mm256_broadcast_ss(qa->scale + (m0 + i) * blocks + b);                      \
        acc[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(sum[i], ones)), scale, acc[i]);     \
      }                                                                                                   \
    }                                                                                                     \
    for (int i = 0; i < MR; i++) y[(m0 + i) * p->n] = hsum256(acc[i]) - qa->corr[m0 + i];              \
  }

ROWS_AVX2(1)
ROWS_AVX2(4)

void ternary_rows_avx2(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  ternary_tiled(p, qa, n0, n1, rows_avx2_1, rows_avx2_4, 0);
}
#endif
