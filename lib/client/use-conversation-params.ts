"use client";
/**
 * The generation settings of the open conversation: the stored ones once it is loaded, otherwise the
 * user's defaults. Changes are saved to the conversation (debounced so typing "0.75" does not send
 * three PATCH requests) and never silently become the defaults for new chats: `useAsDefault` does that.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { DEFAULT_GENERATION_PARAMS, type GenerationParams } from "@/lib/schemas/params";
import { updateConversation } from "./api";
import { readLastParams, writeLastParams } from "./params-storage";

const SAVE_DEBOUNCE_MS = 500;

export function useConversationParams(conversationId: string | null, loaded: GenerationParams | null) {
  const [params, setParamsState] = useState<GenerationParams>(DEFAULT_GENERATION_PARAMS);
  const [saveError, setSaveError] = useState<string | null>(null);
  const appliedFor = useRef<string | null | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // localStorage is only readable after hydration; reading it during render would mismatch the server HTML.
  useEffect(() => {
    if (loaded && conversationId && appliedFor.current !== conversationId) {
      appliedFor.current = conversationId;
      setParamsState({ ...DEFAULT_GENERATION_PARAMS, ...loaded });
    } else if (appliedFor.current === undefined && !conversationId) {
      appliedFor.current = null;
      setParamsState(readLastParams());
    }
  }, [conversationId, loaded]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const setParams = useCallback(
    (next: GenerationParams) => {
      setParamsState(next);
      if (!conversationId) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        updateConversation(conversationId, { params: next })
          .then(() => setSaveError(null))
          .catch((e: unknown) => setSaveError(e instanceof Error ? e.message : String(e)));
      }, SAVE_DEBOUNCE_MS);
    },
    [conversationId],
  );

  const useAsDefault = useCallback(() => writeLastParams(params), [params]);

  return { params, setParams, saveError, useAsDefault };
}
