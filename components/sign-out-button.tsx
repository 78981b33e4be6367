"use client";
import { LogOut } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { sessionInfoSchema } from "@/lib/schemas/session";

/**
 * Shown only when the server has an access key or accounts (with a link to the users page for admins) (the pages are built once, so the server tells at run time:
 * GET /api/session). Signing out deletes the session on the server, then opens the sign-in page.
 */
export function SignOutButton() {
  const [accessKey, setAccessKey] = useState(false);
  const [admin, setAdmin] = useState(false);
  const [accounts, setAccounts] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetch("/api/session")
      .then((response) => (response.ok ? response.json() : null))
      .then((body: unknown) => {
        const parsed = sessionInfoSchema.safeParse(body);
        if (cancelled || !parsed.success) return;
        setAccessKey(parsed.data.accessKey || parsed.data.accounts);
        setAdmin(parsed.data.user?.role === "admin");
        setAccounts(parsed.data.accounts);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  if (!accessKey) return null;
  return (
    <>
      {accounts && (
        <Link href="/keys" className="rounded-md px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-200 dark:text-zinc-400 dark:hover:bg-zinc-800">
          API keys
        </Link>
      )}
      {admin && (
        <Link href="/admin" className="rounded-md px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-200 dark:text-zinc-400 dark:hover:bg-zinc-800">
          Users
        </Link>
      )}
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await fetch("/api/session", { method: "DELETE" });
        } finally {
          // A full page load, not router.push: nothing of the signed-in app's client state outlives the session.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination
          window.location.assign("/sign-in");
        }
      }}
      className="flex items-center gap-1 rounded-md px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-200 disabled:opacity-50 dark:text-zinc-400 dark:hover:bg-zinc-800"
    >
      <LogOut className="size-3.5" aria-hidden />
      Sign out
    </button>
    </>
  );
}
