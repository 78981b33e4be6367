/*
 * The Node addon: an onnxruntime session created and run through the C API of the libonnxruntime that
 * onnxruntime-node already loaded, with TernaryMatMul registered (onnxruntime-node's JavaScript API cannot
 * register custom ops). Inputs are passed zero-copy (the tensors wrap the JavaScript buffers, kept alive
 * until the run ends); outputs are handed to JavaScript as external ArrayBuffers that release the ORT value
 * when collected. Session creation and runs happen on libuv's worker threads, off the event loop.
 *
 * Exports: loadOrt(libraryPath), isaInfo(), createSession(path, options), run(session, inputNames, inputs,
 * outputNames), outputNames(session), release(session), matmul(...) (the kernel alone, for tests and benchmarks).
 */
#define NAPI_VERSION 8
#include <dlfcn.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "custom_op.h"
#include "ort_api.h"
#include "ternary_matmul.h"

static const OrtApi* ort = NULL;
static OrtEnv* ort_env = NULL;
static OrtMemoryInfo* cpu_memory = NULL;

#define CHECK_NAPI(call)                                    \
  do {                                                      \
    if ((call) != napi_ok) {                                \
      napi_throw_error(env, NULL, "napi call failed: " #call); \
      return NULL;                                          \
    }                                                       \
  } while (0)

static napi_value throw_error(napi_env env, const char* message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

/* Takes an OrtStatus: returns a malloc'ed copy of its message (NULL when ok) and releases it. */
static char* status_message(OrtStatus* status) {
  if (!status) return NULL;
  const char* msg = ort->GetErrorMessage(status);
  char* copy = strdup(msg ? msg : "onnxruntime error");
  ort->ReleaseStatus(status);
  return copy;
}

static char* get_string(napi_env env, napi_value value) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char* s = malloc(len + 1);
  if (s && napi_get_value_string_utf8(env, value, s, len + 1, &len) != napi_ok) free(s), s = NULL;
  return s;
}

static int get_int(napi_env env, napi_value obj, const char* key, int fallback) {
  napi_value v;
  napi_valuetype type;
  int32_t out = fallback;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &type) != napi_ok) return fallback;
  if (type == napi_number) napi_get_value_int32(env, v, &out);
  if (type == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    out = b ? 1 : 0;
  }
  return out;
}

/* ---- loadOrt(libraryPath): binds the C API of the library onnxruntime-node loaded. ---- */
static napi_value load_ort(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!ort) {
    char* path = get_string(env, argv[0]);
    if (!path) return throw_error(env, "loadOrt: a library path is required");
    void* lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    free(path);
    if (!lib) return throw_error(env, dlerror());
    OrtGetApiBaseFn get_base = (OrtGetApiBaseFn)dlsym(lib, "OrtGetApiBase");
    if (!get_base) return throw_error(env, "loadOrt: the library has no OrtGetApiBase");
    const OrtApi* api = get_base()->GetApi(BITNET_ORT_API_VERSION);
    if (!api) return throw_error(env, "loadOrt: the library does not serve C API version 18 (onnxruntime ≥ 1.18)");
    /* The declared layout must match the library's: entry 254 is GetBuildInfoString. */
    const char* build = api->GetBuildInfoString ? api->GetBuildInfoString() : NULL;
    if (!build || strncmp(build, "ORT Build Info", 14) != 0) return throw_error(env, "loadOrt: the library's C API layout is not the one declared");
    ort = api;
    char* err = status_message(ort->CreateEnv(ORT_LOGGING_LEVEL_WARNING, "bitnet-ternary", &ort_env));
    if (!err) err = status_message(ort->CreateCpuMemoryInfo(OrtDeviceAllocator, OrtMemTypeDefault, &cpu_memory));
    if (err) {
      napi_throw_error(env, NULL, err);
      free(err);
      ort = NULL;
      return NULL;
    }
  }
  napi_value result;
  CHECK_NAPI(napi_create_int32(env, BITNET_ORT_API_VERSION, &result));
  return result;
}

/* ---- isaInfo() ---- */
static napi_value isa_info(napi_env env, napi_callback_info info) {
  (void)info;
  const char* forced_error = NULL;
  TernaryIsa selected = ternary_isa_select(&forced_error);
  napi_value obj, v, list;
  CHECK_NAPI(napi_create_object(env, &obj));
  CHECK_NAPI(napi_create_string_utf8(env, ternary_isa_name(selected), NAPI_AUTO_LENGTH, &v));
  CHECK_NAPI(napi_set_named_property(env, obj, "selected", v));
  CHECK_NAPI(napi_create_string_utf8(env, ternary_isa_name(ternary_isa_best()), NAPI_AUTO_LENGTH, &v));
  CHECK_NAPI(napi_set_named_property(env, obj, "best", v));
  CHECK_NAPI(napi_create_array(env, &list));
  uint32_t count = 0;
  for (int isa = 0; isa < TERNARY_ISA_COUNT; isa++) {
    if (!ternary_isa_available((TernaryIsa)isa)) continue;
    CHECK_NAPI(napi_create_string_utf8(env, ternary_isa_name((TernaryIsa)isa), NAPI_AUTO_LENGTH, &v));
    CHECK_NAPI(napi_set_element(env, list, count++, v));
  }
  CHECK_NAPI(napi_set_named_property(env, obj, "available", list));
  if (forced_error) {
    CHECK_NAPI(napi_create_string_utf8(env, forced_error, NAPI_AUTO_LENGTH, &v));
    CHECK_NAPI(napi_set_named_property(env, obj, "forcedError", v));
  }
  return obj;
}

static int isa_from_name(const char* name) {
  for (int isa = 0; isa < TERNARY_ISA_COUNT; isa++)
    if (strcmp(name, ternary_isa_name((TernaryIsa)isa)) == 0) return isa;
  return -1;
}

/* ---- Sessions ---- */
typedef struct {
  OrtSession* session;
  OrtSessionOptions* options;
  OrtCustomOpDomain* domain;
  OrtCustomOp* op;
  int runs_in_flight;
  int release_requested;
} Session;

static void session_free(Session* s) {
  if (s->session) ort->ReleaseSession(s->session);
  if (s->options) ort->ReleaseSessionOptions(s->options);
  if (s->domain) ort->ReleaseCustomOpDomain(s->domain);
  ternary_custom_op_free(s->op);
  free(s);
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  char* path;
  int threads, mem_arena, spinning, prepacking, lut_gemm;
  char* profile_prefix;
  TernaryIsa isa;
  Session* session;
  char* error;
} CreateJob;

static char* config(OrtSessionOptions* o, const char* key, int on) { return status_message(ort->AddSessionConfigEntry(o, key, on ? "1" : "0")); }

static void create_execute(napi_env env, void* data) {
  (void)env;
  CreateJob* job = data;
  Session* s = calloc(1, sizeof(Session));
  job->session = s;
  if (!s) {
    job->error = strdup("out of memory");
    return;
  }
  char* err = status_message(ort->CreateSessionOptions(&s->options));
  if (!err) err = status_message(ort->SetSessionGraphOptimizationLevel(s->options, ORT_ENABLE_ALL));
  if (!err) err = status_message(ort->SetSessionExecutionMode(s->options, ORT_SEQUENTIAL));
  if (!err) err = status_message(ort->SetIntraOpNumThreads(s->options, job->threads));
  if (!err) err = status_message(ort->SetInterOpNumThreads(s->options, 1));
  if (!err) err = status_message(job->mem_arena ? ort->EnableCpuMemArena(s->options) : ort->DisableCpuMemArena(s->options));
  if (!err) err = status_message(ort->DisableMemPattern(s->options));
  if (!err) err = config(s->options, "session.intra_op.allow_spinning", job->spinning);
  if (!err) err = config(s->options, "session.disable_prepacking", !job->prepacking);
  if (!err) err = config(s->options, "mlas.use_lut_gemm", job->lut_gemm);
  if (!err && job->profile_prefix) err = status_message(ort->EnableProfiling(s->options, job->profile_prefix));
  if (!err) {
    s->op = ternary_custom_op(ort, job->isa, job->threads);
    if (!s->op) err = strdup("out of memory");
  }
  if (!err) err = status_message(ort->CreateCustomOpDomain(TERNARY_OP_DOMAIN, &s->domain));
  if (!err) err = status_message(ort->CustomOpDomain_Add(s->domain, s->op));
  if (!err) err = status_message(ort->AddCustomOpDomain(s->options, s->domain));
  if (!err) err = status_message(ort->CreateSession(ort_env, job->path, s->options, &s->session));
  job->error = err;
}

static void session_finalize(napi_env env, void* data, void* hint) {
  (void)env, (void)hint;
  Session* s = data;
  /* A session collected while a run is in flight is freed when that run completes. */
  if (s->runs_in_flight > 0) s->release_requested = 1;
  else session_free(s);
}

static void create_complete(napi_env env, napi_status status, void* data) {
  CreateJob* job = data;
  napi_value result;
  if (status != napi_ok && !job->error) job->error = strdup("session creation was cancelled");
  if (job->error) {
    napi_value msg;
    napi_create_string_utf8(env, job->error, NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &result);
    napi_reject_deferred(env, job->deferred, result);
    if (job->session) session_free(job->session);
  } else {
    napi_create_external(env, job->session, session_finalize, NULL, &result);
    napi_resolve_deferred(env, job->deferred, result);
  }
  napi_delete_async_work(env, job->work);
  free(job->path);
  free(job->profile_prefix);
  free(job->error);
  free(job);
}

static napi_value create_session(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], promise, name;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!ort) return throw_error(env, "createSession: call loadOrt first");
  CreateJob* job = calloc(1, sizeof(CreateJob));
  job->path = get_string(env, argv[0]);
  if (!job->path) {
    free(job);
    return throw_error(env, "createSession: a model path is required");
  }
  job->threads = get_int(env, argv[1], "threads", 1);
  job->mem_arena = get_int(env, argv[1], "memArena", 1);
  job->spinning = get_int(env, argv[1], "spinning", 0);
  job->prepacking = get_int(env, argv[1], "prepacking", 1);
  job->lut_gemm = get_int(env, argv[1], "lutGemm", 0);
  napi_value isa_value, prefix;
  napi_valuetype type;
  const char* forced_error = NULL;
  job->isa = ternary_isa_select(&forced_error);
  if (napi_get_named_property(env, argv[1], "isa", &isa_value) == napi_ok && napi_typeof(env, isa_value, &type) == napi_ok && type == napi_string) {
    char* name_s = get_string(env, isa_value);
    int isa = name_s ? isa_from_name(name_s) : -1;
    free(name_s);
    if (isa < 0 || !ternary_isa_available((TernaryIsa)isa)) {
      free(job->path);
      free(job);
      return throw_error(env, "createSession: isa is not a path this CPU runs");
    }
    job->isa = (TernaryIsa)isa;
  }
  if (napi_get_named_property(env, argv[1], "profilePrefix", &prefix) == napi_ok && napi_typeof(env, prefix, &type) == napi_ok && type == napi_string)
    job->profile_prefix = get_string(env, prefix);
  CHECK_NAPI(napi_create_promise(env, &job->deferred, &promise));
  CHECK_NAPI(napi_create_string_utf8(env, "bitnet-ternary-create", NAPI_AUTO_LENGTH, &name));
  CHECK_NAPI(napi_create_async_work(env, NULL, name, create_execute, create_complete, job, &job->work));
  CHECK_NAPI(napi_queue_async_work(env, job->work));
  return promise;
}

/* ---- run(session, inputNames, inputs[{type, dims, data}], outputNames) ---- */
static size_t element_size(ONNXTensorElementDataType type) {
  switch (type) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32:
      return 4;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8:
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8:
      return 1;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64:
      return 8;
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16:
      return 2;
    default:
      return 0;
  }
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  Session* session;
  size_t n_in, n_out;
  char** in_names;
  char** out_names;
  OrtValue** inputs;
  napi_ref* input_refs;
  OrtValue** outputs;
  char* error;
} RunJob;

static void run_job_free(napi_env env, RunJob* job) {
  for (size_t i = 0; i < job->n_in; i++) {
    free(job->in_names[i]);
    if (job->inputs[i]) ort->ReleaseValue(job->inputs[i]);
    if (job->input_refs[i]) napi_delete_reference(env, job->input_refs[i]);
  }
  for (size_t i = 0; i < job->n_out; i++) {
    free(job->out_names[i]);
    if (job->outputs[i]) ort->ReleaseValue(job->outputs[i]);
  }
  free(job->in_names);
  free(job->out_names);
  free(job->inputs);
  free(job->input_refs);
  free(job->outputs);
  free(job->error);
  free(job);
}

static void run_execute(napi_env env, void* data) {
  (void)env;
  RunJob* job = data;
  job->error = status_message(ort->Run(job->session->session, NULL, (const char* const*)job->in_names, (const OrtValue* const*)job->inputs,
                                       job->n_in, (const char* const*)job->out_names, job->n_out, job->outputs));
}

static void release_output(napi_env env, void* data, void* hint) {
  (void)env, (void)data;
  ort->ReleaseValue((OrtValue*)hint);
}

static napi_value output_to_js(napi_env env, OrtValue** slot) {
  OrtValue* value = *slot;
  OrtTensorTypeAndShapeInfo* tinfo = NULL;
  ONNXTensorElementDataType type;
  size_t rank = 0, count = 0;
  int64_t dims[16];
  void* data = NULL;
  if (ort->GetTensorTypeAndShape(value, &tinfo)) return NULL;
  int ok = !ort->GetTensorElementType(tinfo, &type) && !ort->GetDimensionsCount(tinfo, &rank) && rank <= 16 &&
           !ort->GetDimensions(tinfo, dims, rank) && !ort->GetTensorShapeElementCount(tinfo, &count);
  ort->ReleaseTensorTypeAndShapeInfo(tinfo);
  if (!ok || !element_size(type)) return NULL;
  napi_value obj, v, dims_js, buffer;
  napi_create_object(env, &obj);
  napi_create_int32(env, (int32_t)type, &v);
  napi_set_named_property(env, obj, "type", v);
  napi_create_array_with_length(env, rank, &dims_js);
  for (size_t i = 0; i < rank; i++) {
    napi_create_int64(env, dims[i], &v);
    napi_set_element(env, dims_js, (uint32_t)i, v);
  }
  napi_set_named_property(env, obj, "dims", dims_js);
  const size_t bytes = count * element_size(type);
  if (bytes == 0 || ort->GetTensorMutableData(value, &data) || !data) {
    napi_create_arraybuffer(env, 0, NULL, &buffer);
  } else {
    if (napi_create_external_arraybuffer(env, data, bytes, release_output, value, &buffer) != napi_ok) return NULL;
    *slot = NULL; /* now owned by the ArrayBuffer */
  }
  napi_set_named_property(env, obj, "data", buffer);
  return obj;
}

static void run_complete(napi_env env, napi_status status, void* data) {
  RunJob* job = data;
  napi_value result;
  if (status != napi_ok && !job->error) job->error = strdup("run was cancelled");
  if (!job->error) {
    napi_create_array_with_length(env, job->n_out, &result);
    for (size_t i = 0; i < job->n_out && !job->error; i++) {
      napi_value out = output_to_js(env, &job->outputs[i]);
      if (!out) job->error = strdup("an output could not be read");
      else napi_set_element(env, result, (uint32_t)i, out);
    }
  }
  if (job->error) {
    napi_value msg;
    napi_create_string_utf8(env, job->error, NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &result);
    napi_reject_deferred(env, job->deferred, result);
  } else {
    napi_resolve_deferred(env, job->deferred, result);
  }
  Session* s = job->session;
  s->runs_in_flight--;
  napi_delete_async_work(env, job->work);
  run_job_free(env, job);
  if (s->release_requested && s->runs_in_flight == 0) session_free(s);
}

static napi_value run(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], promise, name;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Session* s = NULL;
  if (napi_get_value_external(env, argv[0], (void**)&s) != napi_ok || !s || !s->session || s->release_requested)
    return throw_error(env, "run: not a live session");
  uint32_t n_in = 0, n_out = 0, n_values = 0;
  CHECK_NAPI(napi_get_array_length(env, argv[1], &n_in));
  CHECK_NAPI(napi_get_array_length(env, argv[2], &n_values));
  CHECK_NAPI(napi_get_array_length(env, argv[3], &n_out));
  if (n_in != n_values) return throw_error(env, "run: one input value per input name");
  RunJob* job = calloc(1, sizeof(RunJob));
  job->session = s;
  job->n_in = n_in;
  job->n_out = n_out;
  job->in_names = calloc(n_in, sizeof(char*));
  job->inputs = calloc(n_in, sizeof(OrtValue*));
  job->input_refs = calloc(n_in, sizeof(napi_ref));
  job->out_names = calloc(n_out, sizeof(char*));
  job->outputs = calloc(n_out, sizeof(OrtValue*));
  const char* error = NULL;
  for (uint32_t i = 0; i < n_in && !error; i++) {
    napi_value name_v, input, type_v, dims_v, data_v, d;
    napi_get_element(env, argv[1], i, &name_v);
    job->in_names[i] = get_string(env, name_v);
    napi_get_element(env, argv[2], i, &input);
    int32_t type = 0;
    uint32_t rank = 0;
    int64_t dims[16];
    napi_get_named_property(env, input, "type", &type_v);
    napi_get_value_int32(env, type_v, &type);
    napi_get_named_property(env, input, "dims", &dims_v);
    napi_get_array_length(env, dims_v, &rank);
    if (rank > 16) {
      error = "run: an input has more than 16 dimensions";
      break;
    }
    size_t count = 1;
    for (uint32_t j = 0; j < rank; j++) {
      napi_get_element(env, dims_v, j, &d);
      napi_get_value_int64(env, d, &dims[j]);
      count *= (size_t)dims[j];
    }
    napi_get_named_property(env, input, "data", &data_v);
    napi_typedarray_type ta_type;
    size_t length = 0, offset = 0;
    void* ptr = NULL;
    napi_value ab;
    if (!job->in_names[i] || napi_get_typedarray_info(env, data_v, &ta_type, &length, &ptr, &ab, &offset) != napi_ok) {
      error = "run: every input needs a name and a typed array";
      break;
    }
    size_t bytes = 0;
    napi_get_arraybuffer_info(env, ab, NULL, &bytes);
    const size_t esize = element_size((ONNXTensorElementDataType)type);
    if (!esize || count * esize > bytes - offset) {
      error = "run: an input's data is smaller than its dims say";
      break;
    }
    napi_create_reference(env, data_v, 1, &job->input_refs[i]);
    char* err = status_message(ort->CreateTensorWithDataAsOrtValue(cpu_memory, ptr ? ptr : (void*)dims, count * esize, dims, rank,
                                                                  (ONNXTensorElementDataType)type, &job->inputs[i]));
    if (err) {
      napi_throw_error(env, NULL, err);
      free(err);
      run_job_free(env, job);
      return NULL;
    }
  }
  for (uint32_t i = 0; i < n_out && !error; i++) {
    napi_value name_v;
    napi_get_element(env, argv[3], i, &name_v);
    job->out_names[i] = get_string(env, name_v);
    if (!job->out_names[i]) error = "run: output names must be strings";
  }
  if (error) {
    run_job_free(env, job);
    return throw_error(env, error);
  }
  s->runs_in_flight++;
  CHECK_NAPI(napi_create_promise(env, &job->deferred, &promise));
  CHECK_NAPI(napi_create_string_utf8(env, "bitnet-ternary-run", NAPI_AUTO_LENGTH, &name));
  CHECK_NAPI(napi_create_async_work(env, NULL, name, run_execute, run_complete, job, &job->work));
  CHECK_NAPI(napi_queue_async_work(env, job->work));
  return promise;
}

/* ---- release(session): frees it now, or when its last run completes. ---- */
static napi_value release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Session* s = NULL;
  if (napi_get_value_external(env, argv[0], (void**)&s) != napi_ok || !s) return throw_error(env, "release: not a session");
  if (s->session && !s->release_requested) {
    if (s->runs_in_flight > 0) {
      s->release_requested = 1;
    } else {
      ort->ReleaseSession(s->session);
      s->session = NULL;
    }
  }
  return NULL;
}

/* ---- outputNames(session): the model's output names, in order. ---- */
static napi_value output_names(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], list, v;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Session* s = NULL;
  if (napi_get_value_external(env, argv[0], (void**)&s) != napi_ok || !s || !s->session) return throw_error(env, "outputNames: not a live session");
  OrtAllocator* allocator = NULL;
  size_t count = 0;
  char* err = status_message(ort->GetAllocatorWithDefaultOptions(&allocator));
  if (!err) err = status_message(ort->SessionGetOutputCount(s->session, &count));
  CHECK_NAPI(napi_create_array_with_length(env, count, &list));
  for (size_t i = 0; i < count && !err; i++) {
    char* name = NULL;
    err = status_message(ort->SessionGetOutputName(s->session, i, allocator, &name));
    if (err) break;
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &v);
    napi_set_element(env, list, (uint32_t)i, v);
    free(status_message(ort->AllocatorFree(allocator, name)));
  }
  if (err) {
    napi_throw_error(env, NULL, err);
    free(err);
    return NULL;
  }
  return list;
}

/* ---- matmul(a, w, m, n, kIn, kPad, block, isa, threads): the kernel alone. ---- */
static napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9], out_ab, out;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) return throw_error(env, "matmul: (a, w, m, n, kIn, kPad, block, isa, threads)");
  void *a = NULL, *w = NULL;
  size_t a_len = 0, w_len = 0;
  napi_typedarray_type t;
  CHECK_NAPI(napi_get_typedarray_info(env, argv[0], &t, &a_len, &a, NULL, NULL));
  if (t != napi_float32_array) return throw_error(env, "matmul: a must be a Float32Array");
  CHECK_NAPI(napi_get_typedarray_info(env, argv[1], &t, &w_len, &w, NULL, NULL));
  if (t != napi_uint8_array) return throw_error(env, "matmul: w must be a Uint8Array");
  int64_t m, n, k_in, k_pad, block;
  int32_t threads;
  CHECK_NAPI(napi_get_value_int64(env, argv[2], &m));
  CHECK_NAPI(napi_get_value_int64(env, argv[3], &n));
  CHECK_NAPI(napi_get_value_int64(env, argv[4], &k_in));
  CHECK_NAPI(napi_get_value_int64(env, argv[5], &k_pad));
  CHECK_NAPI(napi_get_value_int64(env, argv[6], &block));
  CHECK_NAPI(napi_get_value_int32(env, argv[8], &threads));
  char* isa_name = get_string(env, argv[7]);
  const int isa = isa_name ? isa_from_name(isa_name) : -1;
  free(isa_name);
  if (isa < 0 || !ternary_isa_available((TernaryIsa)isa)) return throw_error(env, "matmul: isa is not a path this CPU runs");
  if (m < 1 || n < 1 || block < 128 || block % 128 || k_pad % block || k_in > k_pad || k_in < 1) return throw_error(env, "matmul: bad shape");
  if ((size_t)(m * k_in) > a_len || (size_t)(n * k_pad / 4) > w_len) return throw_error(env, "matmul: arrays are smaller than the shape");
  if ((isa == TERNARY_ISA_AVX512 || isa == TERNARY_ISA_AVX512VNNI) && block != 128 && block % 256) return throw_error(env, "matmul: the AVX-512 path takes blocks of 128 or multiples of 256");
  float* y = NULL;
  CHECK_NAPI(napi_create_arraybuffer(env, (size_t)(m * n) * sizeof(float), (void**)&y, &out_ab));
  TernaryProblem p = {m, n, k_in, k_pad, block, w, a, y};
  void* scratch = malloc(quantized_activations_bytes(&p));
  if (!scratch) return throw_error(env, "matmul: out of memory");
  ternary_matmul(&p, (TernaryIsa)isa, threads, scratch, &ternary_own_pool);
  free(scratch);
  CHECK_NAPI(napi_create_typedarray(env, napi_float32_array, (size_t)(m * n), out_ab, 0, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"loadOrt", NULL, load_ort, NULL, NULL, NULL, napi_default, NULL},
      {"isaInfo", NULL, isa_info, NULL, NULL, NULL, napi_default, NULL},
      {"createSession", NULL, create_session, NULL, NULL, NULL, napi_default, NULL},
      {"run", NULL, run, NULL, NULL, NULL, napi_default, NULL},
      {"release", NULL, release, NULL, NULL, NULL, napi_default, NULL},
      {"outputNames", NULL, output_names, NULL, NULL, NULL, napi_default, NULL},
      {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
