import { createHash, timingSafeEqual } from "node:crypto";

/** Equal-length digests first, so neither timing nor an early length check tells how close a guess was. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
