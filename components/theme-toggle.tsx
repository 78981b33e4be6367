"use client";
import { Moon, Sun } from "lucide-react";
import { useSyncExternalStore } from "react";
import { applyTheme, THEME_KEY, type Theme } from "@/lib/client/theme";

// The <html> class (set before paint by the inline script) is the source of truth; this subscribes to it.
function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const onSystem = () => {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(THEME_KEY);
    } catch {}
    if (stored !== "light" && stored !== "dark") applyTheme(media.matches ? "dark" : "light");
  };
  media.addEventListener("change", onSystem);
  return () => {
    observer.disconnect();
    media.removeEventListener("change", onSystem);
  };
}

const current = (): Theme => (document.documentElement.classList.contains("dark") ? "dark" : "light");

/** Flips light/dark and remembers the choice. */
export function toggleTheme(): void {
  const next: Theme = current() === "dark" ? "light" : "dark";
  applyTheme(next);
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {}
}

export function useTheme(): Theme | null {
  return useSyncExternalStore(subscribe, current, () => null);
}

export function ThemeToggle({ className }: { className: string }) {
  const theme = useTheme();
  return (
    <button
      type="button"
      aria-label="Toggle theme"
      title={theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
      onClick={toggleTheme}
      className={className}
    >
      {theme === "dark" ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />}
    </button>
  );
}
