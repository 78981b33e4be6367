/**
 * Light/dark theme: the system preference unless the user picked one (stored in localStorage).
 * The same decision runs as an inline script before first paint, so a stored choice never flashes.
 */
export type Theme = "light" | "dark";
export const THEME_KEY = "bitnet-chat:theme";

export function resolveTheme(stored: string | null, systemPrefersDark: boolean): Theme {
  if (stored === "light" || stored === "dark") return stored;
  return systemPrefersDark ? "dark" : "light";
}

/** Inline `<head>` script; kept in sync with resolveTheme by hand because it must run before React loads. */
export const THEME_INIT_SCRIPT = `(function(){try{var s=localStorage.getItem(${JSON.stringify(THEME_KEY)});var d=s==="dark"||(s!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);document.documentElement.style.colorScheme=d?"dark":"light";}catch(e){}})();`;

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.classList.toggle("dark", theme === "dark");
  root.style.colorScheme = theme;
}
