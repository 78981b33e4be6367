"use client";
import { FileDown, FileJson, Gauge, Keyboard, Moon, MoreHorizontal, Sun } from "lucide-react";
import { useRouter } from "next/navigation";
import { exportUrl } from "@/lib/client/api";
import { download } from "@/lib/client/download";
import { useApp } from "./app-context";
import { MenuButton, type MenuItem } from "./menu-button";
import { toggleTheme, useTheme } from "./theme-toggle";

/** The header's "⋯": exports of this conversation, the shortcut list and (on phones) the theme, out of the title's way. */
export function ConversationMenu({ conversationId, buttonClassName }: { conversationId: string | null; buttonClassName: string }) {
  const { setShortcutsOpen } = useApp();
  const theme = useTheme();
  const router = useRouter();
  const items: MenuItem[] = [];
  if (conversationId) {
    items.push(
      { label: "Export Markdown", icon: <FileDown className="size-4" aria-hidden />, onSelect: () => download(exportUrl(conversationId, "md")) },
      { label: "Export JSON", icon: <FileJson className="size-4" aria-hidden />, onSelect: () => download(exportUrl(conversationId, "json")) },
    );
  }
  items.push({ label: "Efficiency", icon: <Gauge className="size-4" aria-hidden />, onSelect: () => router.push("/efficiency") });
  items.push({ label: "Keyboard shortcuts", icon: <Keyboard className="size-4" aria-hidden />, onSelect: () => setShortcutsOpen(true) });
  items.push({
    label: theme === "dark" ? "Light theme" : "Dark theme",
    icon: theme === "dark" ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />,
    onSelect: toggleTheme,
    className: "sm:hidden", // the header has its own toggle from sm up
  });
  return <MenuButton label="More actions" icon={<MoreHorizontal className="size-5" aria-hidden />} items={items} buttonClassName={buttonClassName} />;
}
