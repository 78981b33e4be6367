"use client";
/**
 * The sidebar's list: all conversations, or search results for `query`; re-read when `version`
 * changes, and every few seconds while some conversation is answering (its spinner goes away when
 * the answer ends, even one started from another tab).
 */
import { useEffect, useState } from "react";
import type { ConversationSummaryDto } from "@/lib/schemas/conversations";
import { listConversations } from "./api";
import { rememberTitles } from "./known-titles";

export interface ConversationListState {
  conversations: ConversationSummaryDto[];
  /** True until the list for the current query has arrived (the previous one stays shown meanwhile). */
  loading: boolean;
  error: string | null;
}

interface Result {
  key: string;
  conversations: ConversationSummaryDto[];
  error: string | null;
}

const POLL_WHILE_ANSWERING_MS = 2_000;

export function useConversationList(query: string, version: number): ConversationListState {
  const [tick, setTick] = useState(0);
  const key = `${version}:${query}:${tick}`;
  const [result, setResult] = useState<Result>({ key: "", conversations: [], error: null });
  const answering = result.conversations.some((c) => c.answering);
  useEffect(() => {
    if (!answering) return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_WHILE_ANSWERING_MS);
    return () => clearTimeout(timer);
  }, [answering, result]);
  useEffect(() => {
    const controller = new AbortController();
    listConversations(query, controller.signal).then(
      (conversations) => {
        rememberTitles(conversations);
        setResult({ key, conversations, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult((r) => ({ key, conversations: r.conversations, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    return () => controller.abort();
  }, [query, key]);
  // A poll is not "loading": the list on screen stays current enough.
  return { conversations: result.conversations, loading: !result.key.startsWith(`${version}:${query}:`), error: result.error };
}
