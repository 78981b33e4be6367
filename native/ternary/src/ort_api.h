/*
 * The parts of onnxruntime's C API (include/onnxruntime/core/session/onnxruntime_c_api.h) this addon uses,
 * declared here from the API's documented layout because onnxruntime-node ships the library
 * (libonnxruntime.so, which exports OrtGetApiBase) but no headers.
 *
 * OrtApi is a table of function pointers that only ever grows at its end, so a prefix of it, in order, is
 * a valid view of every later version. Entries this addon does not call are kept as `void*` placeholders
 * (named, so the order can be checked against the header line by line). Entries 0–130 are those of
 * ORT_API_VERSION 13; 254 (GetBuildInfoString) and 274 (KernelContext_ParallelFor: run work on the
 * session's own intra-op threads) came later. We ask GetApi for version 18, which every library since
 * 1.18 serves, and check at load that entry 254 answers like GetBuildInfoString before using 274.
 */
#ifndef BITNET_ORT_API_H
#define BITNET_ORT_API_H

#include <stddef.h>
#include <stdint.h>

#define BITNET_ORT_API_VERSION 18
/* The OrtCustomOp struct below is version 13's. */
#define BITNET_CUSTOM_OP_VERSION 13

typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtCustomOpDomain OrtCustomOpDomain;
typedef struct OrtKernelInfo OrtKernelInfo;
typedef struct OrtKernelContext OrtKernelContext;
typedef struct OrtAllocator OrtAllocator;
struct OrtCustomOp;

typedef enum {
  ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 = 3,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 = 6,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 = 7,
  ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 = 10,
} ONNXTensorElementDataType;

typedef enum { ORT_LOGGING_LEVEL_VERBOSE, ORT_LOGGING_LEVEL_INFO, ORT_LOGGING_LEVEL_WARNING, ORT_LOGGING_LEVEL_ERROR, ORT_LOGGING_LEVEL_FATAL } OrtLoggingLevel;
typedef enum { ORT_OK, ORT_FAIL, ORT_INVALID_ARGUMENT } OrtErrorCode;
typedef enum { ORT_DISABLE_ALL = 0, ORT_ENABLE_BASIC = 1, ORT_ENABLE_EXTENDED = 2, ORT_ENABLE_ALL = 99 } GraphOptimizationLevel;
typedef enum { ORT_SEQUENTIAL = 0, ORT_PARALLEL = 1 } ExecutionMode;
typedef enum { OrtDeviceAllocator = 0, OrtArenaAllocator = 1 } OrtAllocatorType;
typedef enum { OrtMemTypeDefault = 0 } OrtMemType;

typedef struct OrtApi OrtApi;

typedef struct OrtApiBase {
  const OrtApi* (*GetApi)(uint32_t version);
  const char* (*GetVersionString)(void);
} OrtApiBase;

typedef const OrtApiBase* (*OrtGetApiBaseFn)(void);

#define ORT_FN(name, ...) OrtStatus* (*name)(__VA_ARGS__)

struct OrtApi {
  /* 0 */ OrtStatus* (*CreateStatus)(OrtErrorCode code, const char* msg);
  /* 1 */ OrtErrorCode (*GetErrorCode)(const OrtStatus* status);
  /* 2 */ const char* (*GetErrorMessage)(const OrtStatus* status);
  /* 3 */ ORT_FN(CreateEnv, OrtLoggingLevel level, const char* logid, OrtEnv** out);
  /* 4 */ void* CreateEnvWithCustomLogger;
  /* 5 */ void* EnableTelemetryEvents;
  /* 6 */ void* DisableTelemetryEvents;
  /* 7 */ ORT_FN(CreateSession, const OrtEnv* env, const char* model_path, const OrtSessionOptions* options, OrtSession** out);
  /* 8 */ void* CreateSessionFromArray;
  /* 9 */ ORT_FN(Run, OrtSession* session, const OrtRunOptions* run_options, const char* const* input_names, const OrtValue* const* inputs,
                 size_t input_len, const char* const* output_names, size_t output_names_len, OrtValue** outputs);
  /* 10 */ ORT_FN(CreateSessionOptions, OrtSessionOptions** options);
  /* 11 */ void* SetOptimizedModelFilePath;
  /* 12 */ void* CloneSessionOptions;
  /* 13 */ ORT_FN(SetSessionExecutionMode, OrtSessionOptions* options, ExecutionMode mode);
  /* 14 */ ORT_FN(EnableProfiling, OrtSessionOptions* options, const char* prefix);
  /* 15 */ void* DisableProfiling;
  /* 16 */ ORT_FN(EnableMemPattern, OrtSessionOptions* options);
  /* 17 */ ORT_FN(DisableMemPattern, OrtSessionOptions* options);
  /* 18 */ ORT_FN(EnableCpuMemArena, OrtSessionOptions* options);
  /* 19 */ ORT_FN(DisableCpuMemArena, OrtSessionOptions* options);
  /* 20 */ void* SetSessionLogId;
  /* 21 */ void* SetSessionLogVerbosityLevel;
  /* 22 */ ORT_FN(SetSessionLogSeverityLevel, OrtSessionOptions* options, int level);
  /* 23 */ ORT_FN(SetSessionGraphOptimizationLevel, OrtSessionOptions* options, GraphOptimizationLevel level);
  /* 24 */ ORT_FN(SetIntraOpNumThreads, OrtSessionOptions* options, int threads);
  /* 25 */ ORT_FN(SetInterOpNumThreads, OrtSessionOptions* options, int threads);
  /* 26 */ ORT_FN(CreateCustomOpDomain, const char* domain, OrtCustomOpDomain** out);
  /* 27 */ ORT_FN(CustomOpDomain_Add, OrtCustomOpDomain* domain, const struct OrtCustomOp* op);
  /* 28 */ ORT_FN(AddCustomOpDomain, OrtSessionOptions* options, OrtCustomOpDomain* domain);
  /* 29 */ void* RegisterCustomOpsLibrary;
  /* 30 */ ORT_FN(SessionGetInputCount, const OrtSession* session, size_t* out);
  /* 31 */ ORT_FN(SessionGetOutputCount, const OrtSession* session, size_t* out);
  /* 32 */ void* SessionGetOverridableInitializerCount;
  /* 33 */ void* SessionGetInputTypeInfo;
  /* 34 */ void* SessionGetOutputTypeInfo;
  /* 35 */ void* SessionGetOverridableInitializerTypeInfo;
  /* 36 */ ORT_FN(SessionGetInputName, const OrtSession* session, size_t index, OrtAllocator* allocator, char** value);
  /* 37 */ ORT_FN(SessionGetOutputName, const OrtSession* session, size_t index, OrtAllocator* allocator, char** value);
  /* 38 */ void* SessionGetOverridableInitializerName;
  /* 39 */ void* CreateRunOptions;
  /* 40 */ void* RunOptionsSetRunLogVerbosityLevel;
  /* 41 */ void* RunOptionsSetRunLogSeverityLevel;
  /* 42 */ void* RunOptionsSetRunTag;
  /* 43 */ void* RunOptionsGetRunLogVerbosityLevel;
  /* 44 */ void* RunOptionsGetRunLogSeverityLevel;
  /* 45 */ void* RunOptionsGetRunTag;
  /* 46 */ void* RunOptionsSetTerminate;
  /* 47 */ void* RunOptionsUnsetTerminate;
  /* 48 */ void* CreateTensorAsOrtValue;
  /* 49 */ ORT_FN(CreateTensorWithDataAsOrtValue, const OrtMemoryInfo* info, void* data, size_t data_len, const int64_t* shape, size_t shape_len,
                  ONNXTensorElementDataType type, OrtValue** out);
  /* 50 */ void* IsTensor;
  /* 51 */ ORT_FN(GetTensorMutableData, OrtValue* value, void** out);
  /* 52 */ void* FillStringTensor;
  /* 53 */ void* GetStringTensorDataLength;
  /* 54 */ void* GetStringTensorContent;
  /* 55 */ void* CastTypeInfoToTensorInfo;
  /* 56 */ void* GetOnnxTypeFromTypeInfo;
  /* 57 */ void* CreateTensorTypeAndShapeInfo;
  /* 58 */ void* SetTensorElementType;
  /* 59 */ void* SetDimensions;
  /* 60 */ ORT_FN(GetTensorElementType, const OrtTensorTypeAndShapeInfo* info, ONNXTensorElementDataType* out);
  /* 61 */ ORT_FN(GetDimensionsCount, const OrtTensorTypeAndShapeInfo* info, size_t* out);
  /* 62 */ ORT_FN(GetDimensions, const OrtTensorTypeAndShapeInfo* info, int64_t* dims, size_t dims_len);
  /* 63 */ void* GetSymbolicDimensions;
  /* 64 */ ORT_FN(GetTensorShapeElementCount, const OrtTensorTypeAndShapeInfo* info, size_t* out);
  /* 65 */ ORT_FN(GetTensorTypeAndShape, const OrtValue* value, OrtTensorTypeAndShapeInfo** out);
  /* 66 */ void* GetTypeInfo;
  /* 67 */ void* GetValueType;
  /* 68 */ void* CreateMemoryInfo;
  /* 69 */ ORT_FN(CreateCpuMemoryInfo, OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo** out);
  /* 70 */ void* CompareMemoryInfo;
  /* 71 */ void* MemoryInfoGetName;
  /* 72 */ void* MemoryInfoGetId;
  /* 73 */ void* MemoryInfoGetMemType;
  /* 74 */ void* MemoryInfoGetType;
  /* 75 */ void* AllocatorAlloc;
  /* 76 */ ORT_FN(AllocatorFree, OrtAllocator* allocator, void* p);
  /* 77 */ void* AllocatorGetInfo;
  /* 78 */ ORT_FN(GetAllocatorWithDefaultOptions, OrtAllocator** out);
  /* 79 */ void* AddFreeDimensionOverride;
  /* 80 */ void* GetValue;
  /* 81 */ void* GetValueCount;
  /* 82 */ void* CreateValue;
  /* 83 */ void* CreateOpaqueValue;
  /* 84 */ void* GetOpaqueValue;
  /* 85 */ ORT_FN(KernelInfoGetAttribute_float, const OrtKernelInfo* info, const char* name, float* out);
  /* 86 */ ORT_FN(KernelInfoGetAttribute_int64, const OrtKernelInfo* info, const char* name, int64_t* out);
  /* 87 */ void* KernelInfoGetAttribute_string;
  /* 88 */ ORT_FN(KernelContext_GetInputCount, const OrtKernelContext* context, size_t* out);
  /* 89 */ ORT_FN(KernelContext_GetOutputCount, const OrtKernelContext* context, size_t* out);
  /* 90 */ ORT_FN(KernelContext_GetInput, const OrtKernelContext* context, size_t index, const OrtValue** out);
  /* 91 */ ORT_FN(KernelContext_GetOutput, OrtKernelContext* context, size_t index, const int64_t* dims, size_t dims_len, OrtValue** out);
  /* 92 */ void (*ReleaseEnv)(OrtEnv* input);
  /* 93 */ void (*ReleaseStatus)(OrtStatus* input);
  /* 94 */ void (*ReleaseMemoryInfo)(OrtMemoryInfo* input);
  /* 95 */ void (*ReleaseSession)(OrtSession* input);
  /* 96 */ void (*ReleaseValue)(OrtValue* input);
  /* 97 */ void* ReleaseRunOptions;
  /* 98 */ void* ReleaseTypeInfo;
  /* 99 */ void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo* input);
  /* 100 */ void (*ReleaseSessionOptions)(OrtSessionOptions* input);
  /* 101 */ void (*ReleaseCustomOpDomain)(OrtCustomOpDomain* input);
  /* 102 */ void* GetDenotationFromTypeInfo;
  /* 103 */ void* CastTypeInfoToMapTypeInfo;
  /* 104 */ void* CastTypeInfoToSequenceTypeInfo;
  /* 105 */ void* GetMapKeyType;
  /* 106 */ void* GetMapValueType;
  /* 107 */ void* GetSequenceElementType;
  /* 108 */ void* ReleaseMapTypeInfo;
  /* 109 */ void* ReleaseSequenceTypeInfo;
  /* 110 */ void* SessionEndProfiling;
  /* 111 */ void* SessionGetModelMetadata;
  /* 112 */ void* ModelMetadataGetProducerName;
  /* 113 */ void* ModelMetadataGetGraphName;
  /* 114 */ void* ModelMetadataGetDomain;
  /* 115 */ void* ModelMetadataGetDescription;
  /* 116 */ void* ModelMetadataLookupCustomMetadataMap;
  /* 117 */ void* ModelMetadataGetVersion;
  /* 118 */ void* ReleaseModelMetadata;
  /* 119 */ void* CreateEnvWithGlobalThreadPools;
  /* 120 */ void* DisablePerSessionThreads;
  /* 121 */ void* CreateThreadingOptions;
  /* 122 */ void* ReleaseThreadingOptions;
  /* 123 */ void* ModelMetadataGetCustomMetadataMapKeys;
  /* 124 */ void* AddFreeDimensionOverrideByName;
  /* 125 */ void* GetAvailableProviders;
  /* 126 */ void* ReleaseAvailableProviders;
  /* 127 */ void* GetStringTensorElementLength;
  /* 128 */ void* GetStringTensorElement;
  /* 129 */ void* FillStringTensorElement;
  /* 130 */ ORT_FN(AddSessionConfigEntry, OrtSessionOptions* options, const char* key, const char* value);
  /* 131–273: entries this addon does not call (IO binding, providers, sparse tensors, loggers, …), except
   * GetBuildInfoString (254, since 1.15), used to check that this layout matches the library. */
  /* 131 */ void* reserved_131;
  /* 132 */ void* reserved_132;
  /* 133 */ void* reserved_133;
  /* 134 */ void* reserved_134;
  /* 135 */ void* reserved_135;
  /* 136 */ void* reserved_136;
  /* 137 */ void* reserved_137;
  /* 138 */ void* reserved_138;
  /* 139 */ void* reserved_139;
  /* 140 */ void* reserved_140;
  /* 141 */ void* reserved_141;
  /* 142 */ void* reserved_142;
  /* 143 */ void* reserved_143;
  /* 144 */ void* reserved_144;
  /* 145 */ void* reserved_145;
  /* 146 */ void* reserved_146;
  /* 147 */ void* reserved_147;
  /* 148 */ void* reserved_148;
  /* 149 */ void* reserved_149;
  /* 150 */ void* reserved_150;
  /* 151 */ void* reserved_151;
  /* 152 */ void* reserved_152;
  /* 153 */ void* reserved_153;
  /* 154 */ void* reserved_154;
  /* 155 */ void* reserved_155;
  /* 156 */ void* reserved_156;
  /* 157 */ void* reserved_157;
  /* 158 */ void* reserved_158;
  /* 159 */ void* reserved_159;
  /* 160 */ void* reserved_160;
  /* 161 */ void* reserved_161;
  /* 162 */ void* reserved_162;
  /* 163 */ void* reserved_163;
  /* 164 */ void* reserved_164;
  /* 165 */ void* reserved_165;
  /* 166 */ void* reserved_166;
  /* 167 */ void* reserved_167;
  /* 168 */ void* reserved_168;
  /* 169 */ void* reserved_169;
  /* 170 */ void* reserved_170;
  /* 171 */ void* reserved_171;
  /* 172 */ void* reserved_172;
  /* 173 */ void* reserved_173;
  /* 174 */ void* reserved_174;
  /* 175 */ void* reserved_175;
  /* 176 */ void* reserved_176;
  /* 177 */ void* reserved_177;
  /* 178 */ void* reserved_178;
  /* 179 */ void* reserved_179;
  /* 180 */ void* reserved_180;
  /* 181 */ void* reserved_181;
  /* 182 */ void* reserved_182;
  /* 183 */ void* reserved_183;
  /* 184 */ void* reserved_184;
  /* 185 */ void* reserved_185;
  /* 186 */ void* reserved_186;
  /* 187 */ void* reserved_187;
  /* 188 */ void* reserved_188;
  /* 189 */ void* reserved_189;
  /* 190 */ void* reserved_190;
  /* 191 */ void* reserved_191;
  /* 192 */ void* reserved_192;
  /* 193 */ void* reserved_193;
  /* 194 */ void* reserved_194;
  /* 195 */ void* reserved_195;
  /* 196 */ void* reserved_196;
  /* 197 */ void* reserved_197;
  /* 198 */ void* reserved_198;
  /* 199 */ void* reserved_199;
  /* 200 */ void* reserved_200;
  /* 201 */ void* reserved_201;
  /* 202 */ void* reserved_202;
  /* 203 */ void* reserved_203;
  /* 204 */ void* reserved_204;
  /* 205 */ void* reserved_205;
  /* 206 */ void* reserved_206;
  /* 207 */ void* reserved_207;
  /* 208 */ void* reserved_208;
  /* 209 */ void* reserved_209;
  /* 210 */ void* reserved_210;
  /* 211 */ void* reserved_211;
  /* 212 */ void* reserved_212;
  /* 213 */ void* reserved_213;
  /* 214 */ void* reserved_214;
  /* 215 */ void* reserved_215;
  /* 216 */ void* reserved_216;
  /* 217 */ void* reserved_217;
  /* 218 */ void* reserved_218;
  /* 219 */ void* reserved_219;
  /* 220 */ void* reserved_220;
  /* 221 */ void* reserved_221;
  /* 222 */ void* reserved_222;
  /* 223 */ void* reserved_223;
  /* 224 */ void* reserved_224;
  /* 225 */ void* reserved_225;
  /* 226 */ void* reserved_226;
  /* 227 */ void* reserved_227;
  /* 228 */ void* reserved_228;
  /* 229 */ void* reserved_229;
  /* 230 */ void* reserved_230;
  /* 231 */ void* reserved_231;
  /* 232 */ void* reserved_232;
  /* 233 */ void* reserved_233;
  /* 234 */ void* reserved_234;
  /* 235 */ void* reserved_235;
  /* 236 */ void* reserved_236;
  /* 237 */ void* reserved_237;
  /* 238 */ void* reserved_238;
  /* 239 */ void* reserved_239;
  /* 240 */ void* reserved_240;
  /* 241 */ void* reserved_241;
  /* 242 */ void* reserved_242;
  /* 243 */ void* reserved_243;
  /* 244 */ void* reserved_244;
  /* 245 */ void* reserved_245;
  /* 246 */ void* reserved_246;
  /* 247 */ void* reserved_247;
  /* 248 */ void* reserved_248;
  /* 249 */ void* reserved_249;
  /* 250 */ void* reserved_250;
  /* 251 */ void* reserved_251;
  /* 252 */ void* reserved_252;
  /* 253 */ void* reserved_253;
  /* 254 */ const char* (*GetBuildInfoString)(void);
  /* 255 */ void* reserved_255;
  /* 256 */ void* reserved_256;
  /* 257 */ void* reserved_257;
  /* 258 */ void* reserved_258;
  /* 259 */ void* reserved_259;
  /* 260 */ void* reserved_260;
  /* 261 */ void* reserved_261;
  /* 262 */ void* reserved_262;
  /* 263 */ void* reserved_263;
  /* 264 */ void* reserved_264;
  /* 265 */ void* reserved_265;
  /* 266 */ void* reserved_266;
  /* 267 */ void* reserved_267;
  /* 268 */ void* reserved_268;
  /* 269 */ void* reserved_269;
  /* 270 */ void* reserved_270;
  /* 271 */ void* reserved_271;
  /* 272 */ void* reserved_272;
  /* 273 */ void* reserved_273;
  /* 274 */ ORT_FN(KernelContext_ParallelFor, const OrtKernelContext* context, void (*fn)(void*, size_t), size_t total, size_t num_batch, void* usr_data);
};

typedef enum { INPUT_OUTPUT_REQUIRED = 0, INPUT_OUTPUT_OPTIONAL } OrtCustomOpInputOutputCharacteristic;

/* OrtCustomOp as of version 13 of the struct; ORT reads later fields (variadic arity, compute v2, shape
 * inference, opset range, in-place hints) only from ops that declare a higher version. */
typedef struct OrtCustomOp {
  uint32_t version;
  void* (*CreateKernel)(const struct OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info);
  const char* (*GetName)(const struct OrtCustomOp* op);
  const char* (*GetExecutionProviderType)(const struct OrtCustomOp* op);
  ONNXTensorElementDataType (*GetInputType)(const struct OrtCustomOp* op, size_t index);
  size_t (*GetInputTypeCount)(const struct OrtCustomOp* op);
  ONNXTensorElementDataType (*GetOutputType)(const struct OrtCustomOp* op, size_t index);
  size_t (*GetOutputTypeCount)(const struct OrtCustomOp* op);
  void (*KernelCompute)(void* kernel, OrtKernelContext* context);
  void (*KernelDestroy)(void* kernel);
  OrtCustomOpInputOutputCharacteristic (*GetInputCharacteristic)(const struct OrtCustomOp* op, size_t index);
  OrtCustomOpInputOutputCharacteristic (*GetOutputCharacteristic)(const struct OrtCustomOp* op, size_t index);
  OrtMemType (*GetInputMemoryType)(const struct OrtCustomOp* op, size_t index);
} OrtCustomOp;

#endif
