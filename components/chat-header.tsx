"use client";
import { Menu } from "lucide-react";
import { useApp } from "./app-context";
import { ContextMeter } from "./context-meter";
import { ConversationMenu } from "./conversation-menu";
import { ModelStatus } from "./model-status";
import { ThemeToggle } from "./theme-toggle";

interface ChatHeaderProps {
  title: string;
  conversationId: string | null;
  contextUsed: number | "pending" | null;
}

const iconButton =
  "flex size-10 shrink-0 items-center justify-center rounded-lg text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";

export function ChatHeader({ title, conversationId, contextUsed }: ChatHeaderProps) {
  const { setSidebarOpen, sidebarOpen, model } = useApp();
  const contextLength = model.status?.contextLength ?? null;
  return (
    <header className="flex h-14 shrink-0 items-center gap-1 border-b border-zinc-200 px-2 sm:gap-2 sm:px-3 dark:border-zinc-800">
      <button
        type="button"
        aria-label="Open sidebar"
        aria-controls="sidebar"
        aria-expanded={sidebarOpen}
        onClick={() => setSidebarOpen(true)}
        className={`${iconButton} md:hidden`}
      >
        <Menu className="size-5" aria-hidden />
      </button>
      <h1 className="min-w-0 flex-1 truncate text-sm font-semibold" title={title}>
        {title}
      </h1>
      {contextUsed !== null && contextLength && <ContextMeter used={contextUsed} total={contextLength} />}
      <div className="min-w-0 shrink-0 sm:max-w-md">
        <ModelStatus />
      </div>
      <ThemeToggle className={`${iconButton} max-sm:hidden`} />
      <ConversationMenu conversationId={conversationId} buttonClassName={iconButton} />
    </header>
  );
}
