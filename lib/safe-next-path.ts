/**
 * Where to go after signing in (`/sign-in?next=…`): only somewhere on this site. Anything else — another
 * origin, a scheme, `//host`, `/\host`, and anything with control characters or backslashes, which the URL
 * parser strips or turns into slashes (`/\t/evil.example` is `//evil.example` to a browser) — becomes `/`.
 * Isomorphic: the server sanitizes the parameter, and the sign-in form checks the result again with the
 * browser's own URL parser before it navigates.
 */

const MAX_LENGTH = 2_000;
const BASE = "http://next.invalid";

export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > MAX_LENGTH || !value.startsWith("/") || value.startsWith("//")) return "/";
  // Control characters (C0, DEL, C1) and backslashes: no path of this app has them, and parsers rewrite them.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  // Dot segments may collapse into `//` (`/.//evil.example`): such a path is refused too.
  if (url.origin !== BASE || url.pathname.startsWith("//")) return "/";
  return value;
}

/** The browser's last word: `next` resolved against the current page must stay on its origin. */
export function sameOriginTarget(next: string, current: string): string {
  try {
    return new URL(next, current).origin === new URL(current).origin ? next : "/";
  } catch {
    return "/";
  }
}
