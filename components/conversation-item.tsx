"use client";
import { LoaderCircle, Pencil, Pin, PinOff, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteConversation, updateConversation } from "@/lib/client/api";
import { MAX_TITLE_CHARS, type ConversationSummaryDto } from "@/lib/schemas/conversations";
import { useApp } from "./app-context";
import { ConfirmDialog } from "./confirm-dialog";
import { RenameInput } from "./rename-input";
import { Snippet } from "./snippet";

const iconButton =
  "flex items-center justify-center rounded-md p-1.5 text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 max-md:size-10 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100";

/**
 * One Tab stop per conversation (its link): ← → move between the link and its Rename / Delete
 * buttons, ↑ ↓ move to the neighbouring conversation, F2 renames, Delete asks to delete.
 */
function onRowKey(e: React.KeyboardEvent<HTMLLIElement>, actions: { rename: () => void; remove: () => void }) {
  const row = e.currentTarget;
  const stops = [...row.querySelectorAll<HTMLElement>("a, button")];
  const at = stops.indexOf(document.activeElement as HTMLElement);
  if (at < 0) return;
  const rows = [...(row.closest("nav")?.querySelectorAll<HTMLElement>("li[data-conversation] > a") ?? [])];
  const link = row.querySelector<HTMLElement>(":scope > a");
  const rowAt = link ? rows.indexOf(link) : -1;
  if (e.key === "ArrowRight") stops[Math.min(at + 1, stops.length - 1)]?.focus();
  else if (e.key === "ArrowLeft") stops[Math.max(at - 1, 0)]?.focus();
  else if (e.key === "ArrowDown") rows[Math.min(rowAt + 1, rows.length - 1)]?.focus();
  else if (e.key === "ArrowUp") rows[Math.max(rowAt - 1, 0)]?.focus();
  else if (e.key === "F2") actions.rename();
  else if (e.key === "Delete") actions.remove();
  else return;
  e.preventDefault();
}

export function ConversationItem({ conversation, active }: { conversation: ConversationSummaryDto; active: boolean }) {
  const { invalidateList, setSidebarOpen, startNewChat } = useApp();
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function rename(title: string) {
    setRenaming(false);
    const trimmed = title.trim().slice(0, MAX_TITLE_CHARS);
    if (!trimmed || trimmed === conversation.title) return;
    try {
      await updateConversation(conversation.id, { title: trimmed });
      setError(null);
      invalidateList();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function togglePin() {
    try {
      await updateConversation(conversation.id, { pinned: !conversation.pinned });
      setError(null);
      invalidateList();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await deleteConversation(conversation.id);
      setConfirming(false);
      invalidateList();
      if (active) {
        startNewChat();
        router.push("/");
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li
      data-conversation
      aria-label={conversation.title}
      onKeyDown={renaming ? undefined : (e) => onRowKey(e, { rename: () => setRenaming(true), remove: () => setConfirming(true) })}
      className={`group relative rounded-lg ${active ? "bg-zinc-200/80 dark:bg-zinc-800" : "hover:bg-zinc-200/50 dark:hover:bg-zinc-800/60"}`}
    >
      {renaming ? (
        <RenameInput initial={conversation.title} onSubmit={rename} onCancel={() => setRenaming(false)} />
      ) : (
        <Link
          href={`/c/${conversation.id}`}
          aria-current={active ? "page" : undefined}
          aria-describedby="conversation-keys-hint"
          onClick={() => setSidebarOpen(false)}
          className={`block rounded-lg py-2 pl-3 text-sm focus-visible:outline-2 focus-visible:outline-indigo-500 max-md:min-h-10 max-md:pr-32 ${
            active ? "md:pr-22" : "md:pr-3 md:group-focus-within:pr-22 md:group-hover:pr-22"
          }`}
        >
          <span className="flex items-center gap-1.5">
            {conversation.answering && (
              <LoaderCircle role="img" aria-label="Answering" className="size-3.5 shrink-0 animate-spin text-indigo-500 motion-reduce:animate-none" />
            )}
            <span className="block truncate" title={conversation.title}>{conversation.title}</span>
          </span>
          {conversation.snippet && <Snippet text={conversation.snippet} />}
        </Link>
      )}
      {!renaming && (
        <div className={`absolute right-1 top-1 flex gap-0.5 max-md:top-0 ${active ? "" : "md:opacity-0 md:group-hover:opacity-100 md:group-focus-within:opacity-100"}`}>
          <button type="button" tabIndex={-1} aria-label="Rename" title="Rename (F2)" className={iconButton} onClick={() => setRenaming(true)}>
            <Pencil className="size-3.5" aria-hidden />
          </button>
          <button
            type="button"
            tabIndex={-1}
            aria-label={conversation.pinned ? "Unpin" : "Pin"}
            title={conversation.pinned ? "Unpin" : "Pin to the top"}
            className={iconButton}
            onClick={() => void togglePin()}
          >
            {conversation.pinned ? <PinOff className="size-3.5" aria-hidden /> : <Pin className="size-3.5" aria-hidden />}
          </button>
          <button type="button" tabIndex={-1} aria-label="Delete" title="Delete (Del)" className={iconButton} onClick={() => setConfirming(true)}>
            <Trash2 className="size-3.5" aria-hidden />
          </button>
        </div>
      )}
      {error && <p role="alert" className="px-3 pb-2 text-xs text-red-600 dark:text-red-400">{error}</p>}
      {confirming && (
        <ConfirmDialog
          open
          title="Delete conversation?"
          confirmLabel="Delete"
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          “{conversation.title}” and all its messages will be deleted. This cannot be undone.
        </ConfirmDialog>
      )}
    </li>
  );
}
