"use client";
import { ArrowDown } from "lucide-react";
import type { ReactNode } from "react";
import type { RunState, UiMessage } from "@/lib/client/chat-reducer";
import { useAutoScroll } from "@/lib/client/use-auto-scroll";
import { MessageItem } from "./message-item";

interface MessageListProps {
  messages: UiMessage[];
  run: RunState | null;
  /** Whether an answer offers Regenerate (any answer with a question before it). */
  canRegenerate: (message: UiMessage) => boolean;
  canEdit: boolean;
  /** Whether a message offers Continue (a cut last answer). */
  canContinue: (message: UiMessage) => boolean;
  onRegenerate: (messageId: string) => void;
  onEdit: (messageId: string, text: string) => void;
  onContinue: (messageId: string) => void;
  onSwitchVersion: (messageId: string) => void;
  /** Absent while answers cannot be run (model not ready, an answer running). */
  onReplay?: (messageId: string) => void;
  /** The token view (see MessageItem); absent before the conversation exists. */
  conversationId?: string;
  onBranch?: (messageId: string, tokenIndex: number, tokenId: number) => void;
  /** Incremented to open the editor on the last user message. */
  editRequest: number;
  /** Shown after the messages, in the same scrolling log (a compare pair); `footerKey` changes as it grows. */
  footer?: ReactNode;
  footerKey?: string;
}

export function MessageList({ messages, run, canRegenerate, canEdit, canContinue, onRegenerate, onEdit, onContinue, onSwitchVersion, onReplay, conversationId, onBranch, editRequest, footer, footerKey = "" }: MessageListProps) {
  const last = messages.at(-1);
  // Re-follow on every new token: the dependency changes with the streamed length.
  const { ref, following, jumpToLatest } = useAutoScroll<HTMLDivElement>(`${messages.length}:${last?.content.length ?? 0}:${run?.phase}:${footerKey}`);
  let lastUserIndex = -1;
  messages.forEach((m, i) => {
    if (m.role === "user") lastUserIndex = i;
  });

  return (
    <div className="relative min-h-0 flex-1">
      <div ref={ref} role="log" aria-label="Messages" aria-live="polite" aria-relevant="additions" className="h-full overflow-y-auto">
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {messages.map((message, i) => (
            <MessageItem
              key={message.id}
              message={message}
              run={message.status === "streaming" ? run : null}
              busy={run !== null}
              onRegenerate={canRegenerate(message) ? onRegenerate : undefined}
              onEdit={canEdit && message.role === "user" ? onEdit : undefined}
              onContinue={canContinue(message) ? onContinue : undefined}
              onSwitchVersion={onSwitchVersion}
              onReplay={message.role === "assistant" ? onReplay : undefined}
              conversationId={message.role === "assistant" ? conversationId : undefined}
              onBranch={onBranch}
              editRequest={i === lastUserIndex ? editRequest : undefined}
            />
          ))}
          {footer}
        </div>
      </div>
      {!following && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 flex -translate-x-1/2 items-center gap-1 rounded-full border border-zinc-200 bg-white px-3 py-1.5 text-xs font-medium shadow-md hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-800 dark:hover:bg-zinc-700"
        >
          <ArrowDown className="size-3.5" aria-hidden />
          Jump to latest
        </button>
      )}
    </div>
  );
}
