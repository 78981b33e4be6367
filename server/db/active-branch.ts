/** A message as the search's branch walk needs it: id, parent id, seq. */
export type BranchNode = [id: string, parentId: string | null, seq: number];

/**
 * The lowest of the `wanted` seqs on the conversation's active branch (the path from the active leaf
 * up to the root), or undefined: search finds what opening the conversation shows, not a replaced
 * version of an answer. Shared by both dialects' search; each reads the nodes its own way.
 */
export function lowestOnActiveBranch(leaf: string | null, nodes: readonly BranchNode[], wanted: ReadonlySet<number>): number | undefined {
  const byId = new Map(nodes.map((node) => [node[0], node]));
  // No (valid) active leaf stored: the newest message, as message-tree's activePath does.
  let at = leaf !== null ? byId.get(leaf) : undefined;
  if (!at) for (const node of nodes) if (!at || node[2] > at[2]) at = node;
  let lowest: number | undefined;
  // A step bound instead of a visited set: a corrupt parent cycle cannot hang the search.
  for (let steps = 0; at && steps < nodes.length; steps += 1, at = at[1] === null ? undefined : byId.get(at[1])) {
    if (wanted.has(at[2]) && (lowest === undefined || at[2] < lowest)) lowest = at[2];
  }
  return lowest;
}
