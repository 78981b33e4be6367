/*
 * AVX-512: one 64-byte load of weights is 256 codes (two 128-blocks side by side: int32 lanes 0–7 belong
 * to the first, 8–15 to the second). With VNNI, dpbusd multiplies unsigned codes by signed activations and
 * adds four products into each int32 lane in one instruction; without it, maddubs + madd do the same in
 * three. A row whose length is an odd number of 128s ends with one 32-byte step.
 * Blocks must be 128 codes or a multiple of 256 (the converter writes powers of two).
 */
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#include "x86_hsum.h"
#include <string.h>
#include "tiling.h"

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma,avx2")))
#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,fma,avx2")))

/* DOT4_512(sum, c0..c3, q): sum (int32 × 16) += Σ_r c_r · q[r*64 ..]; DOT4_256 likewise for 32-byte runs. */
#define DOT4_512_VNNI(sum, q)                                                              \
  sum = _mm512_dpbusd_epi32(sum, c0, _mm512_loadu_si512((const void*)(q)));                \
  sum = _mm512_dpbusd_epi32(sum, c1, _mm512_loadu_si512((const void*)((q) + 64)));         \
  sum = _mm512_dpbusd_epi32(sum, c2, _mm512_loadu_si512((const void*)((q) + 128)));        \
  sum = _mm512_dpbusd_epi32(sum, c3, _mm512_loadu_si512((const void*)((q) + 192)));
#define DOT4_512_BW(sum, q)                                                                                  \
  {                                                                                                          \
    __m512i s16 = _mm512_maddubs_epi16(c0, _mm512_loadu_si512((const void*)(q)));                          \
    s16 = _mm512_add_epi16(s16, _mm512_maddubs_epi16(c1, _mm512_loadu_si512((const void*)((q) + 64))));     \
    s16 = _mm512_add_epi16(s16, _mm512_maddubs_epi16(c2, _mm512_loadu_si512((const void*)((q) + 128))));    \
    s16 = _mm512_add_epi16(s16, _mm512_maddubs_epi16(c3, _mm512_loadu_si512((const void*)((q) + 192))));    \
    sum = _mm512_add_epi32(sum, _mm512_madd_epi16(s16, _mm512_set1_epi16(1)));                               \
  }
#define DOT4_256_VNNI(sum, q)                                                                \
  sum = _mm256_dpbusd_epi32(sum, d0, _mm256_loadu_si256((const __m256i*)(q)));               \
  sum = _mm256_dpbusd_epi32(sum, d1, _mm256_loadu_si256((const __m256i*)((q) + 32)));        \
  sum = _mm256_dpbusd_epi32(sum, d2, _mm256_loadu_si256((const __m256i*)((q) + 64)));        \
  sum = _mm256_dpbusd_epi32(sum, d3, _mm256_loadu_si256((const __m256i*)((q) + 96)));
#define DOT4_256_BW(sum, q)                                                                                  \
  {                                                                                                          \
    __m256i s16 = _mm256_maddubs_epi16(d0, _mm256_loadu_si256((const __m256i*)(q)));                        \
    s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(d1, _mm256_loadu_si256((const __m256i*)((q) + 32))));  \
    s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(d2, _mm256_loadu_si256((const __m256i*)((q) + 64))));  \
    s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(d3, _mm256_loadu_si256((const __m256i*)((q) + 96))));  \
    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(s16, _mm256_set1_epi16(1)));                               \
  }

/* MR rows of A against one row of W. */
#define ROWS_512(NAME, ATTR, MR, DOT512, DOT256)                                                              \
  static ATTR void NAME(const TernaryProblem* p, const QuantizedActivations* qa, int64_t m0, const uint8_t* w, \
                        float* y) {                                                                           \
    const int64_t blocks = p->k_pad / p->block;                                                               \
    const int64_t full = p->k_pad / 256 * 256;                                                                \
    const __m512i mask = _mm512_set1_epi8(3);                                                                 \
    /* lanes 0–7 take the first of two packed scales, lanes 8–15 the second */                                \
    const __m512i halves = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);                 \
    __m512 acc[MR];                                                                                           \
    __m512i sum[MR];                                                                                          \
    for (int i = 0; i < MR; i++) acc[i] = _mm512_setzero_ps(), sum[i] = _mm512_setzero_si512();              \
    for (int64_t k = 0; k < full; k += 256) {                                                                 \
      const __m512i wv = _mm512_loadu_si512((const void*)(w + k / 4));                                        \
      const __m512i c0 = _mm512_and_si512(wv, mask);                                                          \
      const __m512i c1 = _mm512_and_si512(_mm512_srli_epi16(wv, 2), mask);                                    \
      const __m512i c2 = _mm512_and_si512(_mm512_srli_epi16(wv, 4), mask);                                    \
      const __m512i c3 = _mm512_and_si512(_mm512_srli_epi16(wv, 6), mask);                                    \
      for (int i = 0; i < MR; i++) {                                                                          \
        const int8_t* q = qa->q + (m0 + i) * p->k_pad + k;                                                    \
        DOT512(sum[i], q)                                                                                     \
      }                                                                                                       \
      if (p->block == 128) {                                                                                  \
        const int64_t b = k / 128;                                                                            \
        for (int i = 0; i < MR; i++) {                                                                        \
          double two; /* scales b and b+1 */                                                                  \
          memcpy(&two, qa->scale + (m0 + i) * blocks + b, sizeof two);                                        \
          const __m512 scale = _mm512_permutexvar_ps(halves, _mm512_castpd_ps(_mm512_set1_pd(two)));          \
          acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[i]), scale, acc[i]);                                \
          sum[i] = _mm512_setzero_si512();                                                                    \
        }                                                                                                     \
      } else if ((k + 256) % p->block == 0) {                                                                 \
        const int64_t b = k / p->block;                                                                       \
        for (int i = 0; i < MR; i++) {                                                                        \
          const __m512 scale = _mm512_set1_ps(qa->scale[(m0 + i) * blocks + b]);                              \
          acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[i]), scale, acc[i]);                                \
          sum[i] = _mm512_setzero_si512();                                                                    \
        }                                                                                                     \
      }                                                                                                       \
    }                                                                                                         \
    for (int i = 0; i < MR; i++) {                                                                            \
      __m256 a256 = _mm256_add_ps(_mm512_castps512_ps256(acc[i]), _mm512_extractf32x8_ps(acc[i], 1));         \
      if (full < p->k_pad) { /* the last 128 codes: one block of 128 */                                      \
        const __m256i m256 = _mm256_set1_epi8(3);                                                             \
        const __m256i wv = _mm256_loadu_si256((const __m256i*)(w + full / 4));                                \
        const __m256i d0 = _mm256_and_si256(wv, m256);                                                        \
        const __m256i d1 = _mm256_and_si256(_mm256_srli_epi16(wv, 2), m256);                                  \
        const __m256i d2 = _mm256_and_si256(_mm256_srli_epi16(wv, 4), m256);                                  \
        const __m256i d3 = _mm256_and_si256(_mm256_srli_epi16(wv, 6), m256);                                  \
        __m256i tail = _mm256_setzero_si256();                                                                \
        const int8_t* q = qa->q + (m0 + i) * p->k_pad + full;                                                 \
        DOT256(tail, q)                                                                                       \
        a256 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(tail), _mm256_set1_ps(qa->scale[(m0 + i) * blocks + blocks - 1]), a256); \
      }                                                                                                       \
      y[(m0 + i) * p->n] = hsum256(a256) - qa->corr[m0 + i];                                              \
    }                                                                                                         \
  }

ROWS_512(rows_vnni_1, AVX512VNNI, 1, DOT4_512_VNNI, DOT4_256_VNNI)
ROWS_512(rows_vnni_4, AVX512VNNI, 4, DOT4_512_VNNI, DOT4_256_VNNI)
ROWS_512(rows_vnni_8, AVX512VNNI, 8, DOT4_512_VNNI, DOT4_256_VNNI)
ROWS_512(rows_bw_1, AVX512, 1, DOT4_512_BW, DOT4_256_BW)
ROWS_512(rows_bw_4, AVX512, 4, DOT4_512_BW, DOT4_256_BW)

void ternary_rows_avx512vnni(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  ternary_tiled(p, qa, n0, n1, rows_vnni_1, rows_vnni_4, rows_vnni_8);
}

void ternary_rows_avx512(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  ternary_tiled(p, qa, n0, n1, rows_bw_1, rows_bw_4, 0);
}
#endif
