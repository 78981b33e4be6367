"use client";
import { useState, type FormEvent } from "react";
import { sameOriginTarget } from "@/lib/safe-next-path";
import { ErrorAlert } from "./error-alert";

/**
 * The access key form, or with accounts the name and password form: either is exchanged for an HttpOnly
 * session cookie, then the app opens.
 */
export function SignInForm({ next, accounts = false }: { next: string; accounts?: boolean }) {
  const [key, setKey] = useState("");
  const [username, setUsername] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch("/api/session", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(accounts ? { username, password: key } : { key }),
      });
      if (response.ok) {
        window.location.assign(sameOriginTarget(next, window.location.href));
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `Sign-in failed (${response.status}).`);
    } catch {
      setError("The server cannot be reached.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex min-h-dvh items-center justify-center bg-white p-4 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <form onSubmit={submit} className="w-full max-w-sm space-y-4 rounded-xl border border-zinc-200 p-6 shadow-sm dark:border-zinc-800">
        <h1 className="text-lg font-semibold">Sign in to BitNet Chat</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {accounts ? "Sign in with your user name and password." : "This server is protected by an access key (its BITNET_API_KEY)."}
        </p>
        {accounts && (
          <label className="block text-sm font-medium">
            User name
            <input
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              required
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              className="mt-1 block w-full rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700"
            />
          </label>
        )}
        <label className="block text-sm font-medium">
          {accounts ? "Password" : "Access key"}
          <input
            type="password"
            autoComplete="current-password"
            required
            autoFocus={!accounts}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            className="mt-1 block w-full rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700"
          />
        </label>
        <ErrorAlert error={error} />
        <button
          type="submit"
          disabled={busy || key === "" || (accounts && username === "")}
          className="w-full rounded-md bg-zinc-900 px-3 py-2 text-sm font-medium text-white disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
        >
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
