"use client";
import { MessageSquarePlus, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { groupByRecency } from "@/lib/client/group-by-recency";
import { useConversationList } from "@/lib/client/use-conversation-list";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { useApp } from "./app-context";
import { ConversationItem } from "./conversation-item";
import { ImportButton, ImportMessages } from "./import-button";
import { SearchBox } from "./search-box";
import { SignOutButton } from "./sign-out-button";

const SEARCH_DEBOUNCE_MS = 250;

/** Names the model actually loaded: the demo model or no model must not be passed off as BitNet 2B4T. */
function footerText(status: ModelStatusDto | null): string {
  if (status?.state !== "ready") return "Runs locally on your CPU";
  if (status.isDemo) return "Demo model (random weights) · runs locally";
  return `${status.modelId} · runs locally on your CPU`;
}

export function Sidebar() {
  const { listVersion, sidebarOpen, setSidebarOpen, startNewChat, model } = useApp();
  // The pathname, not route params: a new chat moves to /c/<id> by history.replaceState.
  const activeId = /^\/c\/([^/]+)/.exec(usePathname() ?? "")?.[1];
  const [query, setQuery] = useState("");
  const debounced = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const { conversations, loading, error } = useConversationList(debounced, listVersion);
  const searching = debounced.length > 0;
  const groups = searching ? (conversations.length > 0 ? [{ group: "Search results", items: conversations }] : []) : groupByRecency(conversations);

  return (
    <aside
      id="sidebar"
      onKeyDown={(e) => {
        if (e.key === "Escape" && sidebarOpen) setSidebarOpen(false);
      }}
      aria-label="Conversations"
      className={`fixed inset-y-0 left-0 z-40 flex w-72 max-w-[85vw] flex-col border-r border-zinc-200 bg-zinc-50 transition-transform dark:border-zinc-800 dark:bg-zinc-900 md:relative md:translate-x-0 ${
        // Invisible (not just off-screen) when closed on phones, so Tab does not wander into it.
        sidebarOpen ? "translate-x-0" : "-translate-x-full max-md:invisible"
      }`}
    >
      <div className="flex items-center gap-2 px-3 pt-3">
        <Link
          href="/"
          onClick={() => {
            startNewChat();
            setSidebarOpen(false);
          }}
          className="flex flex-1 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
        >
          <MessageSquarePlus className="size-4" aria-hidden />
          New chat
        </Link>
        <ImportButton />
        <button
          type="button"
          aria-label="Close sidebar"
          onClick={() => setSidebarOpen(false)}
          className="flex size-10 items-center justify-center rounded-lg text-zinc-600 hover:bg-zinc-200 md:hidden dark:text-zinc-400 dark:hover:bg-zinc-800"
        >
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div className="px-3 py-3">
        <SearchBox value={query} onChange={setQuery} />
      </div>
      <ImportMessages />
      <nav aria-label="Conversation history" className="flex-1 overflow-y-auto px-2 pb-4">
        <p id="conversation-keys-hint" hidden>
          Arrow right for Rename, Pin and Delete, arrow up and down for other conversations.
        </p>
        {error && <p role="alert" className="px-2 text-sm text-red-600 dark:text-red-400">{error}</p>}
        {!loading && !error && conversations.length === 0 && (
          <p className="px-2 py-4 text-sm text-zinc-600 dark:text-zinc-400">{searching ? `No conversations match “${debounced}”.` : "No conversations yet."}</p>
        )}
        {groups.map(({ group, items }) => (
          <section key={group} aria-label={group} className="mb-3">
            <h2 className="px-2 pb-1 pt-2 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{group}</h2>
            <ul className="space-y-0.5">
              {items.map((c) => (
                <ConversationItem key={c.id} conversation={c} active={c.id === (activeId && decodeURIComponent(activeId))} />
              ))}
            </ul>
          </section>
        ))}
      </nav>
      <div className="flex items-center justify-between gap-2 border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <p className="text-xs text-zinc-600 dark:text-zinc-400">{footerText(model.status)}</p>
        <SignOutButton />
      </div>
    </aside>
  );
}
