/**
 * Conversations deleted from this tab. Deleting the open conversation re-reads the conversation list
 * (sidebar) while its page is still mounted for a moment; without this its background re-read would
 * fetch the deleted conversation and log a 404. Only background re-reads consult it: opening an
 * address still asks the server.
 */
const deleted = new Set<string>();

export function markDeleted(id: string): void {
  deleted.add(id);
}

export function wasDeleted(id: string): boolean {
  return deleted.has(id);
}
