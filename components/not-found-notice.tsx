import Link from "next/link";

/** `/c/<id>` for an id that does not exist (deleted, or from another machine's database). */
export function NotFoundNotice() {
  return (
    <div role="alert" className="flex flex-1 flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">Conversation not found</h1>
      <p className="max-w-sm text-sm text-zinc-500 dark:text-zinc-400">
        It may have been deleted, or the link comes from another computer — conversations are stored on the machine that runs BitNet Chat.
      </p>
      <Link href="/" className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
        Start a new chat
      </Link>
    </div>
  );
}
