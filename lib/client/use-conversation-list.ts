"use client";
/** The sidebar's list: all conversations, or search results for `query`; re-read when `version` changes. */
import { useEffect, useState } from "react";
import type { ConversationSummaryDto } from "@/lib/schemas/conversations";
import { listConversations } from "./api";

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

export function useConversationList(query: string, version: number): ConversationListState {
  const key = `${version}:${query}`;
  const [result, setResult] = useState<Result>({ key: "", conversations: [], error: null });
  useEffect(() => {
    const controller = new AbortController();
    listConversations(query, controller.signal).then(
      (conversations) => setResult({ key, conversations, error: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult((r) => ({ key, conversations: r.conversations, error: error instanceof Error ? error.message : String(error) }));
      },
    );
    return () => controller.abort();
  }, [query, key]);
  return { conversations: result.conversations, loading: result.key !== key, error: result.error };
}
