import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeys } from "@/components/api-keys";

export const metadata: Metadata = { title: "API keys · BitNet Chat" };

/** The signed-in account's keys for `/v1` (BITNET_AUTH=accounts). */
export default function KeysPage() {
  return (
    <div className="mx-auto w-full max-w-3xl flex-1 overflow-y-auto px-4 py-6">
      <div className="mb-4 flex items-baseline justify-between gap-4">
        <h1 className="text-xl font-semibold">API keys</h1>
        <Link href="/" className="text-sm underline">
          Back to chat
        </Link>
      </div>
      <ApiKeys />
    </div>
  );
}
