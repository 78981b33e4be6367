/**
 * Copies text to the clipboard. `navigator.clipboard` exists only in secure contexts (https or
 * localhost), so on a plain-http LAN address (a phone reaching the app over Wi-Fi) the old
 * select-and-execCommand path is the only one that works; it is deprecated but still supported by
 * every browser, and nothing else can copy there.
 */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused: try the fallback.
    }
  }
  return copyWithSelection(text);
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  // Off-screen but part of the layout, so it can be selected; fixed so the page does not scroll.
  area.style.position = "fixed";
  area.style.top = "0";
  area.style.left = "-9999px";
  const previous = document.activeElement as HTMLElement | null;
  document.body.appendChild(area);
  area.select();
  area.setSelectionRange(0, text.length);
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  previous?.focus({ preventScroll: true });
  return ok;
}
