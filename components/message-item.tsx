"use client";
import { memo, useState } from "react";
import type { RunState, UiMessage } from "@/lib/client/chat-reducer";
import { AnswerTokens } from "./answer-tokens";
import { Caption } from "./caption";
import { EditMessage } from "./edit-message";
import { MarkdownView } from "./markdown-view";
import { MessageActions } from "./message-actions";
import { ReplayNote } from "./replay-note";
import { RunProgress } from "./run-progress";
import { StatusBadge } from "./status-badge";
import { VersionSwitcher } from "./version-switcher";
import { AttachmentChips } from "./attachment-chips";

interface MessageItemProps {
  message: UiMessage;
  /** The active generation, passed only to the answer it is writing. */
  run: RunState | null;
  /** Actions take the message's id: the callbacks stay the same objects across messages (memo). */
  onRegenerate?: (messageId: string) => void;
  onEdit?: (messageId: string, text: string) => void;
  onContinue?: (messageId: string) => void;
  onSwitchVersion?: (messageId: string) => void;
  onReplay?: (messageId: string) => void;
  /** The token view: shown on stored answers when the conversation is known; `onBranch` starts a version from an alternative. */
  conversationId?: string;
  onBranch?: (messageId: string, tokenIndex: number, tokenId: number) => void;
  busy: boolean;
  /** Incremented to open the editor from outside (↑ in an empty composer). */
  editRequest?: number;
}

/**
 * "Tokens" only where there are records: as the server says for a stored answer; for one just streamed here,
 * when it produced tokens (one stopped while its prompt was read has none).
 */
function hasTokenView(message: UiMessage): boolean {
  return message.hasTokenRecords ?? (message.stats?.completionTokens ?? 0) > 0;
}

function MessageItemImpl({ message, run, onRegenerate, onEdit, onContinue, onSwitchVersion, onReplay, conversationId, onBranch, busy, editRequest = 0 }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const [seenEditRequest, setSeenEditRequest] = useState(editRequest);
  if (editRequest !== seenEditRequest) {
    setSeenEditRequest(editRequest);
    if (onEdit) setEditing(true);
  }
  const streaming = message.status === "streaming";
  const versions =
    message.siblings && onSwitchVersion ? <VersionSwitcher siblings={message.siblings} onSwitch={onSwitchVersion} disabled={busy} /> : null;

  if (message.role === "user") {
    return (
      <article data-role="user" data-status={message.status} aria-label="Your message" className="group flex flex-col items-end gap-1">
        {editing && onEdit ? (
          <EditMessage
            initial={message.content}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              setEditing(false);
              onEdit(message.id, text);
            }}
          />
        ) : (
          <>
            {message.attachments && (
              <AttachmentChips align="end" chips={message.attachments.map((file, i) => ({ key: `${i}:${file.name}`, name: file.name, file }))} />
            )}
            {/* Plain text on purpose: what the user typed is shown exactly, never interpreted. */}
            <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-md bg-indigo-600 px-4 py-2.5 text-[0.9375rem] text-white shadow-sm">
              {message.content}
            </div>
            <div className="flex items-center gap-1">
              {versions}
              <MessageActions text={message.content} onEdit={onEdit ? () => setEditing(true) : undefined} disabled={busy} />
            </div>
          </>
        )}
      </article>
    );
  }

  return (
    <article data-role="assistant" data-status={message.status} aria-label="Assistant message" aria-busy={streaming} className="flex gap-3">
      <div aria-hidden className="mt-1 flex size-7 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-indigo-500 to-violet-600 text-xs font-bold text-white">
        B
      </div>
      <div className="min-w-0 flex-1">
        {message.droppedTurns !== undefined && message.droppedTurns > 0 && (
          <p className="mb-2 rounded-md bg-zinc-100 px-2 py-1 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {message.droppedTurns} older turn{message.droppedTurns === 1 ? " was" : "s were"} left out of the context to fit the model’s window.
          </p>
        )}
        {streaming && run && message.content.length === 0 ? (
          <RunProgress run={run} />
        ) : (
          <div className={streaming ? "streaming-caret" : undefined}>
            <MarkdownView text={message.content} />
          </div>
        )}
        {message.status !== "streaming" && message.content.length === 0 && message.status !== "error" && (
          <p className="text-sm italic text-zinc-600 dark:text-zinc-400">(no text)</p>
        )}
        {message.status === "error" && message.error && (
          <p role="alert" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200">
            {message.error}
          </p>
        )}
        {message.replay && !streaming && <ReplayNote verdict={message.replay} seed={message.params?.seed ?? null} onShowOriginal={busy ? undefined : onSwitchVersion} />}
        <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
          {versions}
          <StatusBadge status={message.status} />
          <Caption message={message} live={streaming && run && run.phase !== "queued" ? run.timing : null} />
          {!streaming && (
            <MessageActions
              text={message.content}
              onRegenerate={onRegenerate ? () => onRegenerate(message.id) : undefined}
              onContinue={onContinue ? () => onContinue(message.id) : undefined}
              onReplay={onReplay && message.params?.seed != null ? () => onReplay(message.id) : undefined}
              disabled={busy}
            />
          )}
          {!streaming && conversationId && !message.id.startsWith("local-") && hasTokenView(message) && <AnswerTokens conversationId={conversationId} messageId={message.id} onBranch={busy ? undefined : onBranch} />}
        </div>
      </div>
    </article>
  );
}

export const MessageItem = memo(MessageItemImpl);
