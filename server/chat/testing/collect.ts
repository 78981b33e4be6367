import type { ChatEvent } from "@/lib/schemas/events";

export async function collectEvents(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function eventOf<N extends ChatEvent["event"]>(events: ChatEvent[], name: N): Extract<ChatEvent, { event: N }> {
  const found = events.find((e) => e.event === name);
  if (!found) throw new Error(`no ${name} event in ${events.map((e) => e.event).join(",")}`);
  return found as Extract<ChatEvent, { event: N }>;
}

export function textOf(events: ChatEvent[]): string {
  return events.map((e) => (e.event === "token" ? e.data.text : "")).join("");
}
