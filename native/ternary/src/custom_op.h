#ifndef BITNET_CUSTOM_OP_H
#define BITNET_CUSTOM_OP_H
#include "ort_api.h"
#include "ternary_kernel.h"

#define TERNARY_OP_DOMAIN "ai.bitnet-chat"
#define TERNARY_OP_NAME "TernaryMatMul"

/* The op, bound to an API table, the path it runs and its thread count. */
OrtCustomOp* ternary_custom_op(const OrtApi* api, TernaryIsa isa, int threads);
/* After every session using it is released. */
void ternary_custom_op_free(OrtCustomOp* op);

#endif
