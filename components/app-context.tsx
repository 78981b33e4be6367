"use client";
/**
 * What the shell shares with every page: the model's status (one poller for the whole app), a
 * version counter that tells the sidebar to re-read the conversation list, the "new chat" nonce
 * the phone-width sidebar drawer state, the keyboard-shortcuts dialog and the importer (file picker
 * in the sidebar, drop anywhere on the page).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useImporter, type Importer } from "@/lib/client/use-importer";
import { useModelStatus, type ModelStatusState } from "@/lib/client/use-model-status";

interface AppContextValue {
  model: ModelStatusState;
  listVersion: number;
  invalidateList: () => void;
  newChatNonce: number;
  startNewChat: () => void;
  sidebarOpen: boolean;
  setSidebarOpen: (open: boolean) => void;
  shortcutsOpen: boolean;
  setShortcutsOpen: (open: boolean) => void;
  importer: Importer;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ children }: { children: ReactNode }) {
  const model = useModelStatus();
  const [listVersion, setListVersion] = useState(0);
  const [newChatNonce, setNewChatNonce] = useState(0);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const invalidateList = useCallback(() => setListVersion((v) => v + 1), []);
  const startNewChat = useCallback(() => setNewChatNonce((n) => n + 1), []);
  const onImported = useCallback(() => {
    invalidateList();
    setSidebarOpen(false);
  }, [invalidateList]);
  const importer = useImporter(onImported);
  const value = useMemo(
    () => ({ model, listVersion, invalidateList, newChatNonce, startNewChat, sidebarOpen, setSidebarOpen, shortcutsOpen, setShortcutsOpen, importer }),
    [model, listVersion, invalidateList, newChatNonce, startNewChat, sidebarOpen, shortcutsOpen, importer],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp must be used inside <AppProvider>");
  return value;
}
