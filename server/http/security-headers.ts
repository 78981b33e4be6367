/**
 * Headers on every response: no MIME sniffing (a model answer served as JSON can never run as HTML), no
 * Referer leaking conversation URLs to links the model wrote, and no framing (clickjacking). The CSP only
 * restricts what needs no nonces: Next's inline bootstrap scripts stay allowed.
 */
export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
];
