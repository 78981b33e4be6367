/** How bench modes summarise repeated measurements. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Two decimals, as every figure in the JSON line. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
