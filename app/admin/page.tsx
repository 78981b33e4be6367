import type { Metadata } from "next";
import Link from "next/link";
import { AdminUsers } from "@/components/admin-users";

export const metadata: Metadata = { title: "Users · BitNet Chat" };

/** Admins manage accounts here (BITNET_AUTH=accounts); for anyone else /api/users answers 403 and the page says so. */
export default function AdminPage() {
  return (
    <div className="mx-auto w-full max-w-4xl flex-1 overflow-y-auto px-4 py-6">
      <div className="mb-4 flex items-baseline justify-between gap-4">
        <h1 className="text-xl font-semibold">Users</h1>
        <Link href="/" className="text-sm underline">
          Back to chat
        </Link>
      </div>
      <AdminUsers />
    </div>
  );
}
