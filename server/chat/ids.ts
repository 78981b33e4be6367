import { randomUUID } from "node:crypto";

/** Public ids of conversations and messages: random, unguessable, URL-safe. */
export function newId(): string {
  return randomUUID();
}
