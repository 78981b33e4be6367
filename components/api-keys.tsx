"use client";
import { useState, type FormEvent } from "react";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/client/api";
import { useApiList } from "@/lib/client/use-api-list";
import type { CreatedApiKeyDto } from "@/lib/schemas/api-keys";
import { ErrorAlert } from "./error-alert";

/** The signed-in account's `/v1` keys (BITNET_AUTH=accounts): create one (shown once), revoke. */
export function ApiKeys() {
  const { items: keys, error, act } = useApiList(listApiKeys);
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [name, setName] = useState("");

  function create(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      setCreated(await createApiKey(name));
      setName("");
    });
  }

  return (
    <div className="space-y-6">
      <ErrorAlert error={error} />
      {created && (
        <div role="status" className="space-y-1 rounded-md border border-amber-300 p-3 text-sm dark:border-amber-700">
          <p>Copy the key &ldquo;{created.name}&rdquo; now: it is not shown again.</p>
          <code aria-label="New API key" className="block break-all font-mono">
            {created.key}
          </code>
        </div>
      )}
      <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-900">
        {keys.map((key) => (
          <li key={key.id} className="flex items-center justify-between py-2">
            <span>
              {key.name} <span className="text-zinc-500">· created {new Date(key.createdAt).toLocaleString()}</span>
            </span>
            <button type="button" className="text-red-600 underline dark:text-red-400" onClick={() => void act(async () => void (await revokeApiKey(key.id)))}>
              Revoke {key.name}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={create} className="flex items-end gap-2">
        <label className="flex-1 text-sm">
          Key name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} className="mt-1 block w-full rounded-md border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700" />
        </label>
        <button type="submit" className="rounded-md bg-zinc-900 px-3 py-2 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
          Create key
        </button>
      </form>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Use a key with any OpenAI client: base URL <code>/v1</code> of this server, <code>Authorization: Bearer &lt;key&gt;</code>. Answers through <code>/v1</code> are not stored.
      </p>
    </div>
  );
}
