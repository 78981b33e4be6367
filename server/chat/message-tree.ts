/**
 * A conversation's messages as a tree: each message points at the one it follows (`parentId`);
 * the children of one parent, in `seq` order, are the versions of that turn (regenerated answers,
 * edited questions). The branch shown, sent to the model and exported as Markdown is the path from
 * the root to the conversation's active leaf.
 *
 * Built in memory from one query: a conversation holds at most a few thousand messages, and walking
 * maps is simpler and faster than a recursive SQL query per operation.
 */

export interface TreeNode {
  id: string;
  parentId: string | null;
  seq: number;
}

export interface SiblingInfo {
  /** 0-based position among the versions. */
  index: number;
  count: number;
  /** The versions' ids in creation order (this message included). */
  ids: string[];
}

export interface MessageTree<T extends TreeNode> {
  byId: ReadonlyMap<string, T>;
  /** Children of a message id, or of `null` for the roots; oldest first. */
  children(parentId: string | null): readonly T[];
  /** The messages from the root down to `id` (both included); empty for an unknown id. */
  pathTo(id: string): T[];
  /** The active branch: the path to `leafId`, or to the newest message when it is unknown. */
  activePath(leafId: string | null | undefined): T[];
  /** The newest message at or below `id` — always a leaf, since a child is written after its parent. */
  newestLeafUnder(id: string): T | undefined;
  siblings(id: string): SiblingInfo;
  /** Every message, each after its parent (depth first, versions oldest first). */
  topological(): T[];
}

export function buildMessageTree<T extends TreeNode>(rows: readonly T[]): MessageTree<T> {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const byId = new Map(sorted.map((row) => [row.id, row]));
  const childrenOf = new Map<string | null, T[]>();
  for (const row of sorted) {
    // A parent from another conversation or a deleted one would orphan the message; treat it as a root.
    const parent = row.parentId !== null && byId.has(row.parentId) ? row.parentId : null;
    const list = childrenOf.get(parent);
    if (list) list.push(row);
    else childrenOf.set(parent, [row]);
  }
  const children = (parentId: string | null): readonly T[] => childrenOf.get(parentId) ?? [];
  const parentOf = (row: T): string | null => (row.parentId !== null && byId.has(row.parentId) ? row.parentId : null);

  function pathTo(id: string): T[] {
    const path: T[] = [];
    const seen = new Set<string>();
    for (let row = byId.get(id); row && !seen.has(row.id); ) {
      seen.add(row.id);
      path.push(row);
      const parent = parentOf(row);
      row = parent === null ? undefined : byId.get(parent);
    }
    return path.reverse();
  }

  function newestLeafUnder(id: string): T | undefined {
    let newest = byId.get(id);
    const stack = newest ? [newest.id] : [];
    while (stack.length > 0) {
      for (const child of children(stack.pop()!)) {
        if (child.seq > newest!.seq) newest = child;
        stack.push(child.id);
      }
    }
    return newest;
  }

  function activePath(leafId: string | null | undefined): T[] {
    if (leafId && byId.has(leafId)) return pathTo(leafId);
    const newest = sorted.at(-1);
    return newest ? pathTo(newest.id) : [];
  }

  function siblings(id: string): SiblingInfo {
    const row = byId.get(id);
    if (!row) return { index: 0, count: 0, ids: [] };
    const ids = children(parentOf(row)).map((r) => r.id);
    return { index: ids.indexOf(id), count: ids.length, ids };
  }

  function topological(): T[] {
    const out: T[] = [];
    const stack = [...children(null)].reverse();
    while (stack.length > 0) {
      const row = stack.pop()!;
      out.push(row);
      stack.push(...[...children(row.id)].reverse());
    }
    return out;
  }

  return { byId, children, pathTo, activePath, newestLeafUnder, siblings, topological };
}
