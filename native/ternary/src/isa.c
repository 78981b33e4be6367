/* Which vector path runs: the best this CPU and OS support, or a lower one named by BITNET_TERNARY_ISA
 * (scalar, avx2, avx512, avx512vnni, neon, neon-dotprod), so every path can be tested and timed on any
 * machine that has it — an AVX-512 machine runs the AVX2 and plain-C paths too. */
#include <stdlib.h>
#include <string.h>
#include "ternary_kernel.h"
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

static const char* const NAMES[TERNARY_ISA_COUNT] = {"scalar", "avx2", "avx512", "avx512vnni", "neon", "neon-dotprod"};
static const int VECTOR_BYTES[TERNARY_ISA_COUNT] = {32, 32, 64, 64, 16, 16};

const char* ternary_isa_name(TernaryIsa isa) { return NAMES[isa]; }
int ternary_isa_vector_bytes(TernaryIsa isa) { return VECTOR_BYTES[isa]; }

int ternary_isa_available(TernaryIsa isa) {
  switch (isa) {
    case TERNARY_ISA_SCALAR:
      return 1;
#if defined(__x86_64__) || defined(_M_X64)
    /* libgcc's checks include the OS's XSAVE support for the wider registers. */
    case TERNARY_ISA_AVX2:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case TERNARY_ISA_AVX512:
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq");
    case TERNARY_ISA_AVX512VNNI:
      return ternary_isa_available(TERNARY_ISA_AVX512) && __builtin_cpu_supports("avx512vnni");
#endif
#if defined(__aarch64__)
    case TERNARY_ISA_NEON:
      return 1;
    case TERNARY_ISA_NEON_DOTPROD:
#if defined(__linux__)
      return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#elif defined(__APPLE__)
      return 1;
#else
      return 0;
#endif
#endif
    default:
      return 0;
  }
}

TernaryIsa ternary_isa_best(void) {
  for (int isa = TERNARY_ISA_COUNT - 1; isa > 0; isa--)
    if (ternary_isa_available((TernaryIsa)isa)) return (TernaryIsa)isa;
  return TERNARY_ISA_SCALAR;
}

TernaryIsa ternary_isa_select(const char** forced_error) {
  *forced_error = NULL;
  const char* forced = getenv("BITNET_TERNARY_ISA");
  if (!forced || !*forced) return ternary_isa_best();
  for (int isa = 0; isa < TERNARY_ISA_COUNT; isa++) {
    if (strcmp(forced, NAMES[isa]) != 0) continue;
    if (ternary_isa_available((TernaryIsa)isa)) return (TernaryIsa)isa;
    *forced_error = "BITNET_TERNARY_ISA names a path this CPU cannot run; using the best one it can";
    return ternary_isa_best();
  }
  *forced_error = "BITNET_TERNARY_ISA is not one of scalar, avx2, avx512, avx512vnni, neon, neon-dotprod; using the best path";
  return ternary_isa_best();
}

TernaryRowsFn ternary_rows_fn(TernaryIsa isa) {
  switch (isa) {
#if defined(__x86_64__) || defined(_M_X64)
    case TERNARY_ISA_AVX2:
      return ternary_rows_avx2;
    case TERNARY_ISA_AVX512:
      return ternary_rows_avx512;
    case TERNARY_ISA_AVX512VNNI:
      return ternary_rows_avx512vnni;
#endif
#if defined(__aarch64__)
    case TERNARY_ISA_NEON:
      return ternary_rows_neon;
    case TERNARY_ISA_NEON_DOTPROD:
      return ternary_rows_neon_dotprod;
#endif
    default:
      return ternary_rows_scalar;
  }
}
