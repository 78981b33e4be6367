"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type DragEvent, type ReactNode } from "react";
import { isTypingTarget, shortcutFor } from "@/lib/client/shortcuts";
import { AppProvider, useApp } from "./app-context";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { Sidebar } from "./sidebar";

/** Focuses the conversation search once the (phone) drawer has been made visible by the next render. */
function focusSearch(): void {
  requestAnimationFrame(() => document.querySelector<HTMLInputElement>('input[type="search"]')?.focus());
}

/** Ctrl+Shift+O, Ctrl+K and `?`; copying the last answer belongs to the chat view, which has it. */
function useAppShortcuts() {
  const { startNewChat, setSidebarOpen, setShortcutsOpen } = useApp();
  const router = useRouter();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector("dialog[open]")) return;
      const action = shortcutFor(e, isTypingTarget(e.target));
      if (action === "new-chat") {
        e.preventDefault();
        setSidebarOpen(false);
        startNewChat();
        router.push("/");
      } else if (action === "search") {
        e.preventDefault();
        setSidebarOpen(true);
        focusSearch();
      } else if (action === "help") {
        e.preventDefault();
        setShortcutsOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, startNewChat, setSidebarOpen, setShortcutsOpen]);
}

const carriesFiles = (e: DragEvent) => [...e.dataTransfer.types].includes("Files");

/** Exported files dropped anywhere on the page are imported; an overlay says so while dragging. */
function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setDragging(true);
      },
      onDragLeave: (e: DragEvent) => {
        // Leaving for a child element is not leaving the page.
        if (!e.relatedTarget || !(e.currentTarget as Node).contains(e.relatedTarget as Node)) setDragging(false);
      },
      onDrop: (e: DragEvent) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        onFiles([...e.dataTransfer.files]);
      },
    },
  };
}

function Frame({ children }: { children: ReactNode }) {
  const { sidebarOpen, setSidebarOpen, shortcutsOpen, setShortcutsOpen, importer } = useApp();
  useAppShortcuts();
  const drop = useFileDrop((files) => void importer.run(files));
  return (
    <div {...drop.handlers} className="flex h-dvh overflow-hidden bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      {drop.dragging && (
        <div aria-hidden className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-indigo-600/10 p-6 backdrop-blur-[1px]">
          <p className="rounded-2xl border-2 border-dashed border-indigo-500 bg-white px-6 py-4 text-sm font-medium text-indigo-800 shadow-lg dark:bg-zinc-900 dark:text-indigo-200">
            Drop exported conversations (.json) to import them
          </p>
        </div>
      )}
      <a
        href="#composer"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("composer")?.focus();
        }}
        className="sr-only z-50 rounded-lg bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-2 focus:top-2"
      >
        Skip to message box
      </a>
      {sidebarOpen && (
        <button
          type="button"
          aria-label="Close sidebar"
          tabIndex={-1}
          className="fixed inset-0 z-30 bg-black/40 md:hidden"
          onClick={() => setSidebarOpen(false)}
        />
      )}
      <Sidebar />
      <main className="flex min-w-0 flex-1 flex-col">{children}</main>
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}

/** The client frame around every page: sidebar + main column, sharing one AppProvider. */
export function AppShell({ children }: { children: ReactNode }) {
  // The sign-in page stands alone: the sidebar's requests would only be refused until the key is given.
  if (usePathname() === "/sign-in") return <>{children}</>;
  return (
    <AppProvider>
      <Frame>{children}</Frame>
    </AppProvider>
  );
}
