"use client";
/** The user's saved presets (stored in the database through /api/presets), with save and delete. */
import { useCallback, useEffect, useState } from "react";
import type { GenerationParams } from "@/lib/schemas/params";
import type { PresetDto } from "@/lib/schemas/presets";
import { deletePreset, listPresets, savePreset } from "./api";

export function usePresets() {
  const [presets, setPresets] = useState<PresetDto[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback((signal?: AbortSignal) => {
    listPresets(signal).then(setPresets, (e: unknown) => {
      if (!signal?.aborted) setError(e instanceof Error ? e.message : String(e));
    });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  const save = useCallback(
    (name: string, params: GenerationParams) => {
      savePreset({ name, params }).then(
        () => {
          setError(null);
          reload();
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [reload],
  );

  const remove = useCallback(
    (id: string) => {
      deletePreset(id).then(
        () => reload(),
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [reload],
  );

  return { presets, error, save, remove };
}
