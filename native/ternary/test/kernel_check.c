/*
 * The kernel's paths against the plain-C one, in C alone: for machines where the Node addon is not what
 * is being tested — ARM code cross-compiled and run under qemu-user (test/run-arm.sh) — and for any build
 * of the kernel files. Exact mode (integer activations with a 127 sentinel per block) must agree bit for
 * bit; fast mode within float rounding. Exits non-zero on any difference.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../src/ternary_matmul.h"

static uint32_t state = 12345;
static uint32_t next_u32(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}
static float uniform(void) { return (float)(next_u32() >> 8) / 16777216.0f; }

static int check(int64_t m, int64_t n, int64_t k_in, int64_t k_pad, int64_t block, int exact) {
  uint8_t* w = malloc((size_t)(n * k_pad / 4));
  float* a = malloc(sizeof(float) * (size_t)(m * k_in));
  float* ref = malloc(sizeof(float) * (size_t)(m * n));
  float* y = malloc(sizeof(float) * (size_t)(m * n));
  for (int64_t i = 0; i < n * k_pad / 4; i++) {
    uint8_t b = 0;
    for (int j = 0; j < 4; j++) b |= (uint8_t)((next_u32() % 3) << (2 * j));
    w[i] = b;
  }
  for (int64_t i = 0; i < m * k_in; i++) {
    if (exact) a[i] = (i % k_in) % block == block - 1 ? 127.0f : (float)((int)(next_u32() % 255) - 127);
    else a[i] = (uniform() - 0.5f) * 8.0f;
  }
  TernaryProblem p = {m, n, k_in, k_pad, block, w, a, ref};
  void* scratch = malloc(quantized_activations_bytes(&p));
  ternary_matmul(&p, TERNARY_ISA_SCALAR, 1, scratch, &ternary_own_pool);
  int failures = 0;
  for (int isa = 1; isa < TERNARY_ISA_COUNT; isa++) {
    if (!ternary_isa_available((TernaryIsa)isa)) continue;
    if ((isa == TERNARY_ISA_AVX512 || isa == TERNARY_ISA_AVX512VNNI) && block != 128 && block % 256) continue;
    p.y = y;
    ternary_matmul(&p, (TernaryIsa)isa, 2, scratch, &ternary_own_pool);
    for (int64_t i = 0; i < m * n; i++) {
      const float tol = exact ? 0.0f : 1e-4f * (1.0f + fabsf(ref[i]));
      if (fabsf(y[i] - ref[i]) > tol) {
        fprintf(stderr, "%s m=%lld n=%lld k=%lld block=%lld %s: y[%lld] = %g, plain C %g\n", ternary_isa_name((TernaryIsa)isa), (long long)m,
                (long long)n, (long long)k_pad, (long long)block, exact ? "exact" : "fast", (long long)i, y[i], ref[i]);
        failures++;
        break;
      }
    }
  }
  free(scratch), free(w), free(a), free(ref), free(y);
  return failures;
}

int main(void) {
  const int64_t shapes[][5] = {{1, 64, 64, 128, 128}, {1, 40, 2560, 2560, 128}, {7, 37, 384, 384, 128}, {5, 19, 6912, 6912, 128},
                               {4, 33, 512, 512, 256}, {3, 17, 1000, 1024, 256}, {2, 9, 1024, 1024, 512}};
  int failures = 0, cases = 0;
  for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
    for (int exact = 0; exact < 2; exact++, cases++) failures += check(shapes[s][0], shapes[s][1], exact ? shapes[s][3] : shapes[s][2], shapes[s][3], shapes[s][4], exact);
  printf("kernel check: paths");
  for (int isa = 0; isa < TERNARY_ISA_COUNT; isa++)
    if (ternary_isa_available((TernaryIsa)isa)) printf(" %s", ternary_isa_name((TernaryIsa)isa));
  printf("; %d cases, %d differences from plain C\n", cases, failures);
  return failures ? 1 : 0;
}
