/**
 * The one error type of checkpoint reading/validation. `code` is stable (tests and the CLI branch on it);
 * `message` is for a person: it names the file or tensor and says what is wrong and, when useful, what to do.
 */
export type CheckpointErrorCode =
  | "wrong_model_type"
  | "missing_tensor"
  | "extra_tensor"
  | "bad_shape"
  | "bad_dtype"
  | "bad_header"
  | "truncated"
  | "invalid_ternary_code"
  | "bad_scale"
  | "unknown_linear_class"
  | "unsupported_quantization"
  | "bad_config"
  | "not_found"
  | "write_error";

export class CheckpointError extends Error {
  constructor(
    readonly code: CheckpointErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CheckpointError";
  }
}
