/*
 * ARM NEON: one 16-byte load of weights is 64 codes. With the dot-product extension (Armv8.2 dotprod,
 * most ARM cores since Cortex-A55/A76 and every Apple M chip), sdot adds four int8 products into each int32
 * lane; without it, widening multiplies into int16 and a pairwise add into int32. Codes 0..2 fit int8, so
 * the signed forms serve. Correctness is checked here under qemu (tests/run-arm.sh); speed only on real ARM.
 */
#if defined(__aarch64__)
#include <arm_neon.h>
#include "tiling.h"

#define UNPACK                                                        \
  const uint8x16_t wv = vld1q_u8(w + k / 4);                          \
  const int8x16_t c0 = vreinterpretq_s8_u8(vandq_u8(wv, mask));       \
  const int8x16_t c1 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(wv, 2), mask)); \
  const int8x16_t c2 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(wv, 4), mask)); \
  const int8x16_t c3 = vreinterpretq_s8_u8(vshrq_n_u8(wv, 6));

/* One row of A against one row of W; DOT64 adds the 64 codes at k (c0..c3 unpacked, activations at qk)
 * into the int32 lanes of `sum`. */
#define ROW_NEON(NAME, ATTR, DOT64)                                                                    \
  static ATTR void NAME(const TernaryProblem* p, const QuantizedActivations* qa, int64_t m, const uint8_t* w, float* y) { \
    const int64_t blocks = p->k_pad / p->block;                                                        \
    const uint8x16_t mask = vdupq_n_u8(3);                                                             \
    const int8_t* q = qa->q + m * p->k_pad;                                                            \
    float32x4_t acc = vdupq_n_f32(0.0f);                                                               \
    for (int64_t b = 0; b < blocks; b++) {                                                             \
      int32x4_t sum = vdupq_n_s32(0);                                                                  \
      for (int64_t k = b * p->block; k < (b + 1) * p->block; k += 64) {                                \
        UNPACK                                                                                         \
        const int8_t* qk = q + k;                                                                      \
        DOT64                                                                                          \
      }                                                                                                \
      acc = vfmaq_n_f32(acc, vcvtq_f32_s32(sum), qa->scale[m * blocks + b]);                           \
    }                                                                                                  \
    y[m * p->n] = vaddvq_f32(acc) - qa->corr[m];                                                       \
  }

/* Widening multiplies into int16 (8 products of at most 2 · 127 per lane), then a pairwise add into int32. */
#define DOT64_WIDEN                                          \
  int16x8_t s = vmull_s8(vget_low_s8(c0), vld1_s8(qk));      \
  s = vmlal_s8(s, vget_high_s8(c0), vld1_s8(qk + 8));        \
  s = vmlal_s8(s, vget_low_s8(c1), vld1_s8(qk + 16));        \
  s = vmlal_s8(s, vget_high_s8(c1), vld1_s8(qk + 24));       \
  s = vmlal_s8(s, vget_low_s8(c2), vld1_s8(qk + 32));        \
  s = vmlal_s8(s, vget_high_s8(c2), vld1_s8(qk + 40));       \
  s = vmlal_s8(s, vget_low_s8(c3), vld1_s8(qk + 48));        \
  s = vmlal_s8(s, vget_high_s8(c3), vld1_s8(qk + 56));       \
  sum = vpadalq_s16(sum, s);

#define DOT64_SDOT                               \
  sum = vdotq_s32(sum, c0, vld1q_s8(qk));        \
  sum = vdotq_s32(sum, c1, vld1q_s8(qk + 16));   \
  sum = vdotq_s32(sum, c2, vld1q_s8(qk + 32));   \
  sum = vdotq_s32(sum, c3, vld1q_s8(qk + 48));

#define NO_ATTR
ROW_NEON(row_neon, NO_ATTR, DOT64_WIDEN)
ROW_NEON(row_neon_dotprod, __attribute__((target("arch=armv8.2-a+dotprod"))), DOT64_SDOT)

void ternary_rows_neon(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  ternary_tiled(p, qa, n0, n1, row_neon, 0, 0);
}

void ternary_rows_neon_dotprod(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1) {
  ternary_tiled(p, qa, n0, n1, row_neon_dotprod, 0, 0);
}
#endif
