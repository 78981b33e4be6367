/**
 * Where a chat request attaches in the conversation's message tree, decided before anything is
 * written: `send` appends to the active branch, `edit` adds a sibling of a question (a new branch),
 * `regenerate` adds a sibling of an answer, `continue` extends an answer that ends its branch,
 * `replay` adds a sibling of an answer that is to be generated with that answer's settings and seed.
 */
import type { ChatMode } from "@/lib/schemas/chat";
import type { MessageRow } from "@/server/db/schema";
import { ChatError } from "./chat-error";
import type { MessageTree } from "./message-tree";

export type TurnPlan =
  /** A new question under `parentId`; `history` is the branch down to that parent. */
  | { kind: "question"; parentId: string | null; history: MessageRow[]; edited: MessageRow | null }
  /**
   * A new answer to `question`; `history` ends with it. `replayOf`: the answer it re-runs with the same
   * settings and seed; `branchOf`: the answer whose tokens it starts with.
   */
  | { kind: "answer"; question: MessageRow; history: MessageRow[]; replayOf?: MessageRow; branchOf?: MessageRow }
  /** `answer` grows in place; `history` is the branch before it. */
  | { kind: "continue"; answer: MessageRow; history: MessageRow[] };

function lastOfRole(path: readonly MessageRow[], role: MessageRow["role"]): MessageRow | undefined {
  return path.findLast((m) => m.role === role);
}

function nothingTo(what: string): ChatError {
  return new ChatError("conflict", `Nothing to ${what}: the conversation has no ${what === "continue" || what === "replay" ? "answer" : "user message"}`, "mode");
}

function target(tree: MessageTree<MessageRow>, messageId: string | undefined, fallback: MessageRow | undefined, mode: ChatMode): MessageRow {
  if (messageId !== undefined) {
    const row = tree.byId.get(messageId);
    if (!row) throw new ChatError("not_found", "Message not found", "messageId");
    return row;
  }
  if (!fallback) throw nothingTo(mode);
  return fallback;
}

export function planTurn(
  tree: MessageTree<MessageRow>,
  activeLeafId: string | null,
  request: { mode: ChatMode; messageId?: string },
): TurnPlan {
  const branch = tree.activePath(activeLeafId);
  switch (request.mode) {
    case "send":
    case "compare": {
      const leaf = branch.at(-1);
      return { kind: "question", parentId: leaf?.id ?? null, history: branch, edited: null };
    }
    case "edit": {
      const edited = target(tree, request.messageId, lastOfRole(branch, "user"), "edit");
      if (edited.role !== "user") throw new ChatError("conflict", "Only a user message can be edited", "messageId");
      const history = tree.pathTo(edited.id).slice(0, -1);
      return { kind: "question", parentId: edited.parentId !== null && tree.byId.has(edited.parentId) ? edited.parentId : null, history, edited };
    }
    case "regenerate": {
      const picked = target(tree, request.messageId, branch.at(-1)?.role === "user" ? branch.at(-1) : lastOfRole(branch, "assistant"), "regenerate");
      // An answer is regenerated under its question; a question (whose answer failed or was never written) gets one.
      const question = picked.role === "user" ? picked : picked.parentId ? tree.byId.get(picked.parentId) : undefined;
      if (!question || question.role !== "user") {
        throw new ChatError("conflict", "Only an answer to a user message can be regenerated", "messageId");
      }
      return { kind: "answer", question, history: tree.pathTo(question.id) };
    }
    case "replay": {
      const answer = target(tree, request.messageId, undefined, "replay");
      const question = answer.parentId ? tree.byId.get(answer.parentId) : undefined;
      if (answer.role !== "assistant" || !question || question.role !== "user") {
        throw new ChatError("conflict", "Only an answer to a user message can be replayed", "messageId");
      }
      if (answer.params?.seed === null || answer.params?.seed === undefined) {
        throw new ChatError("conflict", "This answer has no recorded seed (it predates replay), so it cannot be replayed exactly", "messageId");
      }
      return { kind: "answer", question, history: tree.pathTo(question.id), replayOf: answer };
    }
    case "branch": {
      const answer = target(tree, request.messageId, undefined, "branch");
      const question = answer.parentId ? tree.byId.get(answer.parentId) : undefined;
      if (answer.role !== "assistant" || !question || question.role !== "user") {
        throw new ChatError("conflict", "Only an answer to a user message can be branched", "messageId");
      }
      return { kind: "answer", question, history: tree.pathTo(question.id), branchOf: answer };
    }
    case "continue": {
      const answer = target(tree, request.messageId, lastOfRole(branch, "assistant"), "continue");
      if (answer.role !== "assistant") throw new ChatError("conflict", "Only an answer can be continued", "messageId");
      if (tree.children(answer.id).length > 0) {
        throw new ChatError("conflict", "Only the last answer of a branch can be continued", "messageId");
      }
      return { kind: "continue", answer, history: tree.pathTo(answer.id).slice(0, -1) };
    }
  }
}
