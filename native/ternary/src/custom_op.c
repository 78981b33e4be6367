/*
 * TernaryMatMul as an onnxruntime custom op (domain ai.bitnet-chat): inputs A float [..., K] and
 * B uint8 [N, k_blocks, block / 4] (MatMulNBits' 2-bit bytes, zero point 1, unit scales: the converter's
 * ternary weights), attributes K, N, block_size; output float [..., N]. B is read in place from the
 * initializer (the mapped model file), so no packed copy of the weights exists.
 */
#include "custom_op.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ternary_matmul.h"

typedef struct {
  OrtCustomOp op;
  const OrtApi* api;
  TernaryIsa isa;
  int threads;
  /* One scratch buffer for every node of the session (they run one at a time), so its size is that of the
   * largest single call, not the sum over 120 nodes. */
  pthread_mutex_t lock;
  void* scratch;
  size_t scratch_bytes;
} TernaryOp;

typedef struct {
  const TernaryOp* op;
  int64_t k, n, block;
  TernaryIsa isa;
} TernaryKernel;

static const char* op_name(const OrtCustomOp* op) { (void)op; return TERNARY_OP_NAME; }
static const char* op_provider(const OrtCustomOp* op) { (void)op; return "CPUExecutionProvider"; }
static size_t op_input_count(const OrtCustomOp* op) { (void)op; return 2; }
static size_t op_output_count(const OrtCustomOp* op) { (void)op; return 1; }
static ONNXTensorElementDataType op_input_type(const OrtCustomOp* op, size_t i) {
  (void)op;
  return i == 0 ? ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT : ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
}
static ONNXTensorElementDataType op_output_type(const OrtCustomOp* op, size_t i) {
  (void)op, (void)i;
  return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
}

static OrtCustomOpInputOutputCharacteristic op_required(const OrtCustomOp* op, size_t i) {
  (void)op, (void)i;
  return INPUT_OUTPUT_REQUIRED;
}
static OrtMemType op_memory(const OrtCustomOp* op, size_t i) {
  (void)op, (void)i;
  return OrtMemTypeDefault;
}

typedef struct {
  const OrtApi* api;
  OrtKernelContext* context;
} OrtParallel;

typedef struct {
  PoolTaskFn fn;
  void* ctx;
} OrtTask;

static void ort_task(void* data, size_t i) {
  const OrtTask* task = (const OrtTask*)data;
  task->fn(task->ctx, (int64_t)i);
}

static void ort_parallel_for(void* env, int threads, int64_t tasks, PoolTaskFn fn, void* ctx) {
  const OrtParallel* par = (const OrtParallel*)env;
  OrtTask task = {fn, ctx};
  (void)threads;
  OrtStatus* status = par->api->KernelContext_ParallelFor(par->context, ort_task, (size_t)tasks, 0, &task);
  if (status) {
    /* Never leave tasks undone: run them here. */
    par->api->ReleaseStatus(status);
    for (int64_t t = 0; t < tasks; t++) fn(ctx, t);
  }
}

static int64_t attr(const OrtApi* api, const OrtKernelInfo* info, const char* name) {
  int64_t value = -1;
  OrtStatus* status = api->KernelInfoGetAttribute_int64(info, name, &value);
  if (status) api->ReleaseStatus(status), value = -1;
  return value;
}

static void* create_kernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info) {
  const TernaryOp* top = (const TernaryOp*)op;
  TernaryKernel* kernel = calloc(1, sizeof(TernaryKernel));
  if (!kernel) return NULL;
  kernel->op = top;
  kernel->k = attr(api, info, "K");
  kernel->n = attr(api, info, "N");
  kernel->block = attr(api, info, "block_size");
  kernel->isa = top->isa;
  /* The AVX-512 loop takes blocks of 128 or multiples of 256; others (never written by the converter) go
   * the AVX2 way. */
  if ((kernel->isa == TERNARY_ISA_AVX512 || kernel->isa == TERNARY_ISA_AVX512VNNI) && kernel->block != 128 && kernel->block % 256 != 0)
    kernel->isa = TERNARY_ISA_AVX2;
  return kernel;
}

static void destroy_kernel(void* k) {
  free(k);
}

/* Reads a tensor's shape into dims (at most 8); returns the rank, or -1. */
static int shape_of(const OrtApi* api, const OrtValue* value, int64_t* dims) {
  OrtTensorTypeAndShapeInfo* info = NULL;
  size_t rank = 0;
  if (api->GetTensorTypeAndShape(value, &info)) return -1;
  int ok = !api->GetDimensionsCount(info, &rank) && rank <= 8 && !api->GetDimensions(info, dims, rank);
  api->ReleaseTensorTypeAndShapeInfo(info);
  return ok ? (int)rank : -1;
}

static void compute(void* k, OrtKernelContext* context) {
  TernaryKernel* kernel = (TernaryKernel*)k;
  const OrtApi* api = kernel->op->api;
  const OrtValue* a_value = NULL;
  const OrtValue* b_value = NULL;
  int64_t a_dims[8], b_dims[8];
  if (api->KernelContext_GetInput(context, 0, &a_value) || api->KernelContext_GetInput(context, 1, &b_value)) return;
  const int a_rank = shape_of(api, a_value, a_dims);
  const int b_rank = shape_of(api, b_value, b_dims);
  if (a_rank < 1) return;
  int64_t m = 1;
  for (int i = 0; i < a_rank - 1; i++) m *= a_dims[i];
  const int64_t k_in = a_dims[a_rank - 1];
  int64_t y_dims[8];
  memcpy(y_dims, a_dims, sizeof(int64_t) * (size_t)a_rank);
  y_dims[a_rank - 1] = kernel->n;
  OrtValue* y_value = NULL;
  float* y = NULL;
  if (api->KernelContext_GetOutput(context, 0, y_dims, (size_t)a_rank, &y_value) || api->GetTensorMutableData(y_value, (void**)&y)) return;
  /* A shape that does not fit the attributes cannot come from the converter; without a status to return
   * (version-1 custom ops), the output says so with NaN rather than with someone else's numbers. */
  const int fits = b_rank == 3 && b_dims[0] == kernel->n && b_dims[2] * 4 == kernel->block && k_in == kernel->k &&
                   b_dims[1] * kernel->block >= k_in && kernel->block % 128 == 0;
  if (!fits) {
    static int warned = 0;
    if (!warned++) fprintf(stderr, "[ternary] TernaryMatMul: input shapes do not match the node's attributes\n");
    for (int64_t i = 0; i < m * kernel->n; i++) y[i] = NAN;
    return;
  }
  const uint8_t* w = NULL;
  if (api->GetTensorMutableData((OrtValue*)b_value, (void**)&w)) return;
  float* a = NULL;
  if (api->GetTensorMutableData((OrtValue*)a_value, (void**)&a)) return;
  TernaryProblem p = {m, kernel->n, k_in, b_dims[1] * kernel->block, kernel->block, w, a, y};
  const size_t need = quantized_activations_bytes(&p);
  TernaryOp* op = (TernaryOp*)kernel->op;
  pthread_mutex_lock(&op->lock);
  if (op->scratch_bytes < need) {
    free(op->scratch);
    op->scratch = malloc(need);
    op->scratch_bytes = op->scratch ? need : 0;
  }
  /* The session's own intra-op threads run the rows: they are idle while this op runs, and a second pool
   * would compete with them for the cores during every other op. */
  OrtParallel par = {api, context};
  const TernaryParallel parallel = {ort_parallel_for, &par};
  if (op->scratch) ternary_matmul(&p, kernel->isa, op->threads, op->scratch, &parallel);
  else for (int64_t i = 0; i < m * kernel->n; i++) y[i] = NAN;
  pthread_mutex_unlock(&op->lock);
}

OrtCustomOp* ternary_custom_op(const OrtApi* api, TernaryIsa isa, int threads) {
  TernaryOp* op = calloc(1, sizeof(TernaryOp));
  if (!op) return NULL;
  op->op = (OrtCustomOp){
      .version = BITNET_CUSTOM_OP_VERSION,
      .CreateKernel = create_kernel,
      .GetName = op_name,
      .GetExecutionProviderType = op_provider,
      .GetInputType = op_input_type,
      .GetInputTypeCount = op_input_count,
      .GetOutputType = op_output_type,
      .GetOutputTypeCount = op_output_count,
      .KernelCompute = compute,
      .KernelDestroy = destroy_kernel,
      .GetInputCharacteristic = op_required,
      .GetOutputCharacteristic = op_required,
      .GetInputMemoryType = op_memory,
  };
  op->api = api;
  op->isa = isa;
  op->threads = threads;
  pthread_mutex_init(&op->lock, NULL);
  return &op->op;
}

void ternary_custom_op_free(OrtCustomOp* o) {
  TernaryOp* op = (TernaryOp*)o;
  if (!op) return;
  pthread_mutex_destroy(&op->lock);
  free(op->scratch);
  free(op);
}
