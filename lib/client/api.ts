/** Typed fetch wrappers for the JSON API; every failure becomes an ApiError carrying the server's message. */
import type { ExtractedAttachment } from "@/lib/schemas/attachments";
import type { ApiKeyDto, CreatedApiKeyDto } from "@/lib/schemas/api-keys";
import type { ConversationDto, ConversationSummaryDto, StopAnswerDto } from "@/lib/schemas/conversations";
import type { ApiErrorBody } from "@/lib/schemas/errors";
import type { EfficiencyDto } from "@/lib/schemas/efficiency";
import type { ModelAction } from "@/lib/schemas/model-action";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import type { GenerationParams } from "@/lib/schemas/params";
import type { PresetDto, SavePresetRequest } from "@/lib/schemas/presets";
import type { MessageTokensDto } from "@/lib/schemas/tokens";
import type { UserDto } from "@/lib/schemas/users";
import { markDeleted } from "./deleted-conversations";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  const error = (value as ApiErrorBody | null)?.error;
  return typeof error === "object" && error !== null && typeof error.message === "string";
}

/** Turns a non-2xx response into an ApiError, using the JSON error body when there is one. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy page, an empty body): fall back to the status line.
  }
  if (isApiErrorBody(body)) return new ApiError(body.error.message, response.status, body.error.code, body.error.field);
  return new ApiError(`Request failed (${response.status} ${response.statusText})`, response.status, "http_error");
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { "Content-Type": "application/json", ...init?.headers } });
  } catch (cause) {
    if ((cause as Error)?.name === "AbortError") throw cause;
    throw new ApiError("Cannot reach the BitNet Chat server. Is it still running?", 0, "network_error");
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export async function listConversations(query?: string, signal?: AbortSignal): Promise<ConversationSummaryDto[]> {
  const q = query?.trim();
  const url = q ? `/api/conversations?q=${encodeURIComponent(q)}` : "/api/conversations";
  const body = await request<{ conversations: ConversationSummaryDto[] }>(url, { signal, cache: "no-store" });
  return body.conversations;
}

export function getConversation(id: string, signal?: AbortSignal): Promise<ConversationDto> {
  return request<ConversationDto>(`/api/conversations/${encodeURIComponent(id)}`, { signal, cache: "no-store" });
}

export function updateConversation(
  id: string,
  patch: { title?: string; params?: Partial<GenerationParams>; pinned?: boolean },
): Promise<unknown> {
  return request(`/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(patch) });
}

/** Stops the conversation's running answer (from any tab); resolves once it is saved, undefined when nothing ran. */
export function stopAnswer(id: string): Promise<StopAnswerDto | undefined> {
  return request<StopAnswerDto | undefined>(`/api/conversations/${encodeURIComponent(id)}/stop`, { method: "POST" });
}

/** Shows the branch through `messageId` (another version of a message); answers with the conversation as now shown. */
/** An answer's token records (the token view); 404 when it has none. */
export function getMessageTokens(conversationId: string, messageId: string, signal?: AbortSignal): Promise<MessageTokensDto> {
  return request<MessageTokensDto>(`/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/tokens`, { signal, cache: "no-store" });
}

export function switchBranch(id: string, messageId: string): Promise<ConversationDto> {
  return request<ConversationDto>(`/api/conversations/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify({ activeMessageId: messageId }) });
}

export async function deleteConversation(id: string): Promise<void> {
  await request(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
  markDeleted(id);
}

/** Import answers `{ conversation }` for one conversation or `{ conversations }` for a bundle; the new ids, in order. */
export async function importConversation(exported: unknown): Promise<{ ids: string[] }> {
  const body = await request<{ conversation?: { id: string }; conversations?: { id: string }[] }>("/api/conversations/import", {
    method: "POST",
    body: JSON.stringify(exported),
  });
  const ids = body.conversations?.map((c) => c.id) ?? (body.conversation ? [body.conversation.id] : []);
  if (ids.length === 0 && !body.conversations) throw new ApiError("The server did not return the imported conversation.", 500, "bad_response");
  return { ids };
}

export const EXPORT_ALL_URL = "/api/conversations/export";

export function exportUrl(id: string, format: "md" | "json"): string {
  return `/api/conversations/${encodeURIComponent(id)}/export?format=${format}`;
}

export function getModelStatus(signal?: AbortSignal): Promise<ModelStatusDto> {
  return request<ModelStatusDto>("/api/model", { signal, cache: "no-store" });
}

/** The status right after the switch (202). */
export function postModelAction(action: ModelAction): Promise<ModelStatusDto> {
  return request<ModelStatusDto>("/api/model", { method: "POST", body: JSON.stringify({ action }) });
}

export async function listPresets(signal?: AbortSignal): Promise<PresetDto[]> {
  return (await request<{ presets: PresetDto[] }>("/api/presets", { signal, cache: "no-store" })).presets;
}

export async function savePreset(body: SavePresetRequest): Promise<PresetDto> {
  return (await request<{ preset: PresetDto }>("/api/presets", { method: "POST", body: JSON.stringify(body) })).preset;
}

export function deletePreset(id: string): Promise<unknown> {
  return request(`/api/presets/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function getEfficiency(limit = 200, signal?: AbortSignal): Promise<EfficiencyDto> {
  return request<EfficiencyDto>(`/api/efficiency?limit=${limit}`, { signal, cache: "no-store" });
}

/** Reads a file on the server (`POST /api/attachments`): its text and token count, for the composer's chip. */
export async function readAttachment(file: File, signal?: AbortSignal): Promise<ExtractedAttachment> {
  return request<ExtractedAttachment>(`/api/attachments?name=${encodeURIComponent(file.name)}`, {
    method: "POST",
    body: file,
    signal,
    headers: { "Content-Type": file.type || "application/octet-stream" },
  });
}

/** Admins (BITNET_AUTH=accounts): every account. */
export async function listUsers(): Promise<UserDto[]> {
  return (await request<{ users: UserDto[] }>("/api/users")).users;
}

export async function createUser(body: { name: string; password: string; role: "admin" | "user" }): Promise<UserDto> {
  return (await request<{ user: UserDto }>("/api/users", { method: "POST", body: JSON.stringify(body) })).user;
}

export async function updateUser(id: string, body: { role?: "admin" | "user"; disabled?: boolean; password?: string }): Promise<UserDto> {
  return (await request<{ user: UserDto }>(`/api/users/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(body) })).user;
}

/** `keepData`: the account's conversations and presets go to the admin deleting it. */
export function deleteUser(id: string, keepData: boolean): Promise<unknown> {
  return request(`/api/users/${encodeURIComponent(id)}?keepData=${keepData ? 1 : 0}`, { method: "DELETE" });
}

/** The signed-in account's `/v1` keys. */
export async function listApiKeys(): Promise<ApiKeyDto[]> {
  return (await request<{ keys: ApiKeyDto[] }>("/api/keys")).keys;
}

export function createApiKey(name: string): Promise<CreatedApiKeyDto> {
  return request<CreatedApiKeyDto>("/api/keys", { method: "POST", body: JSON.stringify({ name }) });
}

export function revokeApiKey(id: string): Promise<unknown> {
  return request(`/api/keys/${encodeURIComponent(id)}`, { method: "DELETE" });
}
