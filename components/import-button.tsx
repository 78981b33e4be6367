"use client";
import { Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { importConversation } from "@/lib/client/api";
import { useApp } from "./app-context";

/** Imports a conversation exported as JSON, then opens it. */
export function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const { invalidateList, setSidebarOpen } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFile(file: File) {
    setBusy(true);
    setError(null);
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not a JSON file.`);
      }
      const { id } = await importConversation(json);
      invalidateList();
      setSidebarOpen(false);
      router.push(`/c/${id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <>
      <button
        type="button"
        aria-label="Import"
        title="Import a conversation (JSON export)"
        disabled={busy}
        onClick={() => input.current?.click()}
        className="flex size-10 items-center justify-center rounded-lg border border-zinc-300 text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <Upload className="size-4" aria-hidden />
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        aria-label="Import conversation file"
        className="hidden"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void onFile(file);
        }}
      />
      {error && (
        <p role="alert" className="absolute left-3 right-3 top-14 z-10 rounded-md bg-red-50 p-2 text-xs text-red-700 shadow dark:bg-red-950 dark:text-red-300">
          {error}{" "}
          <button type="button" className="underline" onClick={() => setError(null)}>Dismiss</button>
        </p>
      )}
    </>
  );
}
