"use client";
import { useCallback, useEffect, useState } from "react";

/**
 * A list the page reads from the API (users, API keys) and changes through it: `act` runs a change, shows
 * its error if it fails, and reads the list again either way.
 */
export function useApiList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (list) => !cancelled && setItems(list),
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [load]);

  const act = useCallback(
    async (work: () => Promise<unknown>) => {
      setError(null);
      try {
        await work();
      } catch (e) {
        setError((e as Error).message);
      }
      await load().then(setItems, (e: Error) => setError(e.message));
    },
    [load],
  );

  return { items, error, act };
}
