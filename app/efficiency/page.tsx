import type { Metadata } from "next";
import Link from "next/link";
import { EfficiencyView } from "@/components/efficiency-view";

export const metadata: Metadata = { title: "Efficiency · BitNet Chat" };

export default function EfficiencyPage() {
  return (
    <div className="mx-auto w-full max-w-4xl flex-1 overflow-y-auto px-4 py-6">
      <div className="mb-4 flex items-baseline justify-between gap-4">
        <h1 className="text-xl font-semibold">What 1-bit weights save on this machine</h1>
        <Link href="/" className="text-sm underline">
          Back to chat
        </Link>
      </div>
      <EfficiencyView />
    </div>
  );
}
