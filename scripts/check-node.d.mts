/** Types for scripts/check-node.mjs (plain Node, run before anything is compiled). */
export function parseVersion(text: string): number[];
export function satisfies(version: string, range: string): boolean;
