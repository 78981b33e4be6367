"use client";
import type { ReactNode } from "react";
import { AppProvider, useApp } from "./app-context";
import { Sidebar } from "./sidebar";

function Frame({ children }: { children: ReactNode }) {
  const { sidebarOpen, setSidebarOpen } = useApp();
  return (
    <div className="flex h-dvh overflow-hidden bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
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
    </div>
  );
}

/** The client frame around every page: sidebar + main column, sharing one AppProvider. */
export function AppShell({ children }: { children: ReactNode }) {
  return (
    <AppProvider>
      <Frame>{children}</Frame>
    </AppProvider>
  );
}
