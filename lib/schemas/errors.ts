/** Every API error body: `{"error": {"code", "message", "field"?}}`. The UI shows `message`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
