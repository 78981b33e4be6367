/**
 * The titles this page has seen in the conversation list, by id: a conversation being opened (its own
 * request still on the way) or a compare pair still running is headed by its title, never "New chat".
 */
const titles = new Map<string, string>();

export function rememberTitles(conversations: readonly { id: string; title: string }[]): void {
  for (const c of conversations) titles.set(c.id, c.title);
}

export function knownTitle(id: string | null): string {
  return id === null ? "" : (titles.get(id) ?? "");
}

/** The header's title: the conversation's own, else one learnt elsewhere, else "New chat" for a chat not created yet ("" while one loads). */
export function headerTitle(args: { title: string; conversationId: string | null; fallbacks: readonly (string | undefined)[] }): string {
  const known = [args.title, ...args.fallbacks, knownTitle(args.conversationId)].find((t) => t && t.trim());
  return known ?? (args.conversationId === null ? "New chat" : "");
}
