/*
 * TernaryMatMul: y = A · Wᵀ for ternary W stored as onnxruntime's 2-bit MatMulNBits bytes (code = w + 1,
 * four codes per byte, lowest bits first, each row `k_pad / 4` bytes), with A quantized to int8 per block
 * of `block` columns (scale = absmax / 127, round to nearest even) — MatMulNBits' accuracy_level 4
 * semantics, so the same converted weights serve both kernels. In the graph's exact mode every block of A
 * carries a 127 sentinel, so each block's scale is exactly 1 and y is BitNet's int32 sum, exactly.
 *
 * The sums use the zero point once per row instead of once per weight: Σ (c - 1)·q = Σ c·q - Σ q, with
 * c ∈ {0, 1, 2} unsigned and q signed, which is the operand pair of x86's maddubs/dpbusd.
 */
#ifndef BITNET_TERNARY_KERNEL_H
#define BITNET_TERNARY_KERNEL_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  TERNARY_ISA_SCALAR = 0,
  TERNARY_ISA_AVX2,
  TERNARY_ISA_AVX512,
  TERNARY_ISA_AVX512VNNI,
  TERNARY_ISA_NEON,
  TERNARY_ISA_NEON_DOTPROD,
  TERNARY_ISA_COUNT
} TernaryIsa;

typedef struct {
  int64_t m;      /* rows of A */
  int64_t n;      /* output features (rows of W) */
  int64_t k_in;   /* columns of A; ≤ k_pad (the rest is zero weights) */
  int64_t k_pad;  /* codes per row of W: a multiple of `block` */
  int64_t block;  /* quantization block of A: a multiple of 128 */
  const uint8_t* w;
  const float* a;
  float* y;       /* [m][n] */
} TernaryProblem;

/* A quantized for one kernel: q permuted so that the codes unpacked from one vector load of weights meet
 * their activations in one vector load (see quantize_activations.c). */
typedef struct {
  int8_t* q;      /* [m][k_pad] */
  float* scale;   /* [m][k_pad / block] */
  float* corr;    /* [m]: Σ_b scale_b · Σ_{k∈b} q_k, the zero point's share */
} QuantizedActivations;

/* Bytes of weights one vector load of the ISA covers; the activation layout follows it. */
int ternary_isa_vector_bytes(TernaryIsa isa);
const char* ternary_isa_name(TernaryIsa isa);
/* The best path this CPU (and OS) runs; `ternary_isa_available` says whether a given one runs here. */
TernaryIsa ternary_isa_best(void);
int ternary_isa_available(TernaryIsa isa);
/* The path to use: the best, or the one BITNET_TERNARY_ISA names if it runs here (else the best, and
 * *forced_error is set to a message). */
TernaryIsa ternary_isa_select(const char** forced_error);

size_t quantized_activations_bytes(const TernaryProblem* p);
void quantize_activations(const TernaryProblem* p, int vector_bytes, int64_t row0, int64_t row1, QuantizedActivations* qa);

/* y[m][n] for every m and n in [n0, n1). */
typedef void (*TernaryRowsFn)(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
TernaryRowsFn ternary_rows_fn(TernaryIsa isa);

void ternary_rows_scalar(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
#if defined(__x86_64__) || defined(_M_X64)
void ternary_rows_avx2(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
void ternary_rows_avx512(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
void ternary_rows_avx512vnni(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
#endif
#if defined(__aarch64__)
void ternary_rows_neon(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
void ternary_rows_neon_dotprod(const TernaryProblem* p, const QuantizedActivations* qa, int64_t n0, int64_t n1);
#endif

#endif
