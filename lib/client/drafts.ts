/**
 * An unsent message per conversation ("new" for the empty chat), kept in localStorage so it survives
 * switching conversations and reloading. Bounded: only the most recent drafts are kept.
 */
const PREFIX = "bitnet-chat:draft:";
const MAX_DRAFTS = 50;

type Storage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode, blocked cookies)
  }
}

export function draftKey(conversationId: string | null): string {
  return `${PREFIX}${conversationId ?? "new"}`;
}

export function readDraft(conversationId: string | null, store: Storage | null = storage()): string {
  try {
    const raw = store?.getItem(draftKey(conversationId));
    return raw ? ((JSON.parse(raw) as { text?: unknown }).text as string) ?? "" : "";
  } catch {
    return "";
  }
}

export function writeDraft(conversationId: string | null, text: string, store: Storage | null = storage(), now = Date.now()): void {
  if (!store) return;
  try {
    if (!text.trim()) {
      store.removeItem(draftKey(conversationId));
      return;
    }
    store.setItem(draftKey(conversationId), JSON.stringify({ text, at: now }));
    pruneDrafts(store);
  } catch {
    // Quota exceeded or storage disabled: losing a draft is not worth an error message.
  }
}

function pruneDrafts(store: Storage): void {
  const drafts: { key: string; at: number }[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    try {
      drafts.push({ key, at: Number((JSON.parse(store.getItem(key) ?? "{}") as { at?: number }).at ?? 0) });
    } catch {
      drafts.push({ key, at: 0 });
    }
  }
  drafts.sort((a, b) => b.at - a.at);
  for (const stale of drafts.slice(MAX_DRAFTS)) store.removeItem(stale.key);
}
