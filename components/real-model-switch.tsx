"use client";
/** In the model menu while the demo stands in for the configured model: the way back to it. */
import { useState } from "react";
import { postModelAction } from "@/lib/client/api";
import { useApp } from "./app-context";

export function RealModelSwitch({ realModel }: { realModel: string }) {
  const { model } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function switchToRealModel() {
    setBusy(true);
    setError(null);
    try {
      model.show(await postModelAction("use-real"));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      model.refresh();
    }
  }

  return (
    <div className="space-y-2 text-xs text-zinc-700 dark:text-zinc-300">
      <p>
        The offline demo model stands in for <span className="font-medium">{realModel}</span>. This choice is remembered
        across restarts until that model is available.
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => void switchToRealModel()}
        className="rounded-lg bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 disabled:opacity-60 max-sm:min-h-10 dark:bg-zinc-100 dark:text-zinc-900"
      >
        {busy ? "Switching…" : "Use the real model"}
      </button>
      {error && <p role="alert" className="text-red-700 dark:text-red-300">{error}</p>}
    </div>
  );
}
