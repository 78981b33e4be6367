"use client";
import { ArrowUp, Paperclip, Square } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { MAX_MESSAGE_CHARS } from "@/lib/schemas/chat";
import { MESSAGE_BOX_ID } from "@/lib/client/shortcuts";

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  running: boolean;
  /** The answer waits for the model (another conversation's answer is being written). */
  queued?: boolean;
  /** Why sending is not possible right now (model loading, invalid settings); null when it is. */
  disabledReason: string | null;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** ↑ in an empty box: edit the last message you sent (absent when there is none to edit). */
  onEditLast?: () => void;
  /** Controls shown next to the send button (the settings gear). */
  accessory?: ReactNode;
  /** Files to attach: from the paperclip, dropped on the composer, or pasted. Absent: no attaching. */
  onAttach?: (files: File[]) => void;
  /** The attached files' chips, above the message box. */
  attachments?: ReactNode;
}

/** What the file picker offers (any file may still be dropped or pasted: the server says when one is not text). */
const ACCEPT = ".txt,.md,.markdown,.csv,.tsv,.json,.jsonl,.xml,.yaml,.yml,.toml,.ini,.log,.html,.css,.js,.jsx,.ts,.tsx,.py,.rb,.go,.rs,.java,.kt,.c,.h,.cpp,.hpp,.cs,.swift,.php,.sh,.sql,.pdf,text/*,application/json,application/pdf";

/** Enter sends, Shift+Enter adds a line, Esc stops the answer being written, ↑ in an empty box edits. */
export function Composer({ value, onChange, onSend, onStop, running, queued = false, disabledReason, inputRef, onEditLast, accessory, onAttach, attachments }: ComposerProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const empty = value.trim().length === 0;
  const tooLong = value.length > MAX_MESSAGE_CHARS;
  const canSend = !running && !empty && !tooLong && disabledReason === null;
  // Focused on arrival (page load, New chat, another conversation) so typing can start at once —
  // except on touch screens, where focus would pop the keyboard over the conversation.
  useEffect(() => {
    if (window.matchMedia("(pointer: fine)").matches) inputRef.current?.focus({ preventScroll: true });
  }, [inputRef]);
  const reason = tooLong ? `The message is too long (${value.length} / ${MAX_MESSAGE_CHARS} characters).` : disabledReason;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend) onSend();
      }}
      onDragOver={(e) => {
        if (!onAttach || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        if (!onAttach || e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        onAttach([...e.dataTransfer.files]);
      }}
      className="flex flex-col gap-1"
    >
      {attachments}
      <div
        className={`flex items-end gap-2 rounded-2xl border bg-white p-2 shadow-sm focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/20 dark:bg-zinc-900 ${dragging ? "border-indigo-500 ring-2 ring-indigo-500/30" : "border-zinc-300 dark:border-zinc-700"}`}
      >
        {onAttach && (
          <>
            <button
              type="button"
              aria-label="Attach files"
              title="Attach files (text, Markdown, code, CSV/JSON, PDF) — or drop or paste them"
              onClick={() => fileInput.current?.click()}
              className="flex size-10 shrink-0 items-center justify-center rounded-xl text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              <Paperclip className="size-5" aria-hidden />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              accept={ACCEPT}
              className="hidden"
              data-testid="attach-input"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = "";
                if (files.length) onAttach(files);
              }}
            />
          </>
        )}
        <textarea
          ref={inputRef}
          id={MESSAGE_BOX_ID}
          aria-label="Message"
          aria-describedby={reason ? "composer-reason" : undefined}
          placeholder="Message BitNet…"
          rows={1}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onPaste={(e) => {
            // Files only (copied in a file manager); text, even with a picture of it alongside, pastes as text.
            if (!onAttach || e.clipboardData.files.length === 0 || e.clipboardData.getData("text/plain")) return;
            e.preventDefault();
            onAttach([...e.clipboardData.files]);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              if (canSend) onSend();
            } else if (e.key === "Escape" && running) {
              e.preventDefault();
              onStop();
            } else if (e.key === "ArrowUp" && value === "" && onEditLast && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              onEditLast();
            }
          }}
          className="max-h-60 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-[0.9375rem] placeholder:text-zinc-400 focus:outline-none [field-sizing:content]"
        />
        {accessory}
        {running ? (
          <button
            type="button"
            aria-label="Stop"
            title="Stop (Esc)"
            onClick={onStop}
            className="flex size-10 shrink-0 items-center justify-center rounded-xl bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            <Square className="size-4 fill-current" aria-hidden />
          </button>
        ) : (
          <button
            type="submit"
            aria-label="Send"
            title="Send (Enter)"
            disabled={!canSend}
            className="flex size-10 shrink-0 items-center justify-center rounded-xl bg-indigo-600 text-white hover:bg-indigo-500 disabled:cursor-not-allowed disabled:bg-zinc-300 dark:disabled:bg-zinc-700"
          >
            <ArrowUp className="size-5" aria-hidden />
          </button>
        )}
      </div>
      <p id="composer-reason" role="status" className="min-h-4 px-2 text-xs text-zinc-600 dark:text-zinc-400">
        {reason ?? (running ? (queued ? "Waiting for the model (another answer comes first)… press Esc to cancel." : "Generating… press Esc to stop.") : "Enter to send · Shift+Enter for a new line · ? for shortcuts")}
      </p>
    </form>
  );
}
