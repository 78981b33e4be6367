"use client";
/** Import from the file picker or a drop anywhere on the page; opens the first imported conversation. */
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { importConversation } from "./api";
import { importFiles } from "./import-files";

export interface Importer {
  run: (files: readonly File[]) => Promise<void>;
  busy: boolean;
  /** Plain-words outcome: what failed, or how many were imported when that is not obvious. */
  errors: string[];
  notice: string | null;
  dismiss: () => void;
}

export function useImporter(onImported: () => void): Importer {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  const run = useCallback(
    async (files: readonly File[]) => {
      if (files.length === 0) return;
      setBusy(true);
      setErrors([]);
      setNotice(null);
      try {
        const outcome = await importFiles(files, importConversation);
        setErrors(outcome.errors);
        if (outcome.count > 0) {
          onImported();
          if (outcome.count > 1) setNotice(`Imported ${outcome.count} conversations.`);
          if (outcome.firstId) router.push(`/c/${outcome.firstId}`);
        }
      } finally {
        setBusy(false);
      }
    },
    [onImported, router],
  );

  const dismiss = useCallback(() => {
    setErrors([]);
    setNotice(null);
  }, []);

  return { run, busy, errors, notice, dismiss };
}
