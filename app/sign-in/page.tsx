import type { Metadata } from "next";
import { SignInForm } from "@/components/sign-in-form";
import { safeNextPath } from "@/lib/safe-next-path";
import { authModeFromEnv } from "@/server/auth/auth-mode";

export const metadata: Metadata = { title: "Sign in · BitNet Chat" };
export const dynamic = "force-dynamic";

/** Shown instead of the app when BITNET_API_KEY is set (or BITNET_AUTH=accounts) and the browser has no session yet. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInForm next={safeNextPath(Array.isArray(next) ? next[0] : next)} accounts={authModeFromEnv() === "accounts"} />;
}
