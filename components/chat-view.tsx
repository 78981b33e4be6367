"use client";
/** One conversation page: header, messages (or example prompts), model state, settings and composer. */
import { useCallback, useEffect, useRef, useState } from "react";
import { canContinue, canEdit, canRegenerate } from "@/lib/client/chat-reducer";
import { contextUsage } from "@/lib/client/context-usage";
import { copyText } from "@/lib/client/copy-text";
import { readDraft, writeDraft } from "@/lib/client/drafts";
import { composerBlockReason } from "@/lib/client/model-readiness";
import { isTypingTarget, shortcutFor } from "@/lib/client/shortcuts";
import { useChat, type RunOutcome } from "@/lib/client/use-chat";
import { isRunning } from "@/lib/client/compare-reducer";
import type { Variant } from "@/lib/client/compare-variants";
import { useCompare } from "@/lib/client/use-compare";
import { useConversationParams } from "@/lib/client/use-conversation-params";
import { usePresets } from "@/lib/client/use-presets";
import { useApp } from "./app-context";
import { ChatHeader } from "./chat-header";
import { Composer } from "./composer";
import { ExamplePrompts } from "./example-prompts";
import { MessageList } from "./message-list";
import { ModelStatusPanel } from "./model-status-panel";
import { SettingsButton } from "./settings-button";
import { SettingsPanel } from "./settings-panel";
import { NotFoundNotice } from "./not-found-notice";
import { CompareButton } from "./compare-button";
import { CompareForm } from "./compare-form";
import { CompareView } from "./compare-view";
import { AttachmentChips } from "./attachment-chips";
import { useAttachments } from "@/lib/client/use-attachments";
import { attachmentOverflow } from "@/lib/client/attachment-fit";
import { headerTitle } from "@/lib/client/known-titles";

export function ChatView({ conversationId }: { conversationId: string | null }) {
  const app = useApp();
  const { invalidateList, listVersion } = app;
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraftState] = useState("");
  // The unsent text is kept per conversation across switching and reloads (read after hydration:
  // the server-rendered composer is empty).
  useEffect(() => {
    const saved = readDraft(conversationId);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- localStorage is readable only after hydration
    if (saved) setDraftState((current) => current || saved);
  }, [conversationId]);
  const setDraft = useCallback(
    (next: string | ((current: string) => string)) => {
      setDraftState((current) => {
        const value = typeof next === "function" ? next(current) : next;
        writeDraft(conversationId, value);
        return value;
      });
    },
    [conversationId],
  );
  const [paramsInvalid, setParamsInvalid] = useState(false);
  const [editRequest, setEditRequest] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  const onStarted = useCallback(
    (id: string) => {
      // A new chat gets its shareable URL as soon as the server has created it, without remounting the page.
      if (window.location.pathname !== `/c/${id}`) window.history.replaceState(null, "", `/c/${id}`);
      invalidateList();
    },
    [invalidateList],
  );
  const onWithdrawn = useCallback((id: string) => {
    if (window.location.pathname === `/c/${id}`) window.history.replaceState(null, "", "/");
  }, []);
  const attachCompareRef = useRef<(id: string) => void>(() => undefined);
  const chat = useChat(conversationId, { onStarted, onWithdrawn, onFinished: invalidateList, onCompareRunning: (id) => attachCompareRef.current(id) });
  const { state, loadState, refresh, send: sendMessage, regenerate: regenerateAnswer, editAndResend, continueAnswer, replay: replayAnswer, branch: branchAnswer, switchVersion, stop: stopAnswer, dismissError } = chat;
  const { params, setParams, saveError, useAsDefault } = useConversationParams(state.conversationId, chat.loadedParams);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const savedPresets = usePresets();
  const settingsButtonRef = useRef<HTMLButtonElement>(null);
  const compare = useCompare(state.conversationId, {
    onStarted,
    onFinished: invalidateList,
    onKept: refresh,
  });
  useEffect(() => {
    attachCompareRef.current = compare.attach;
  });
  const [compareOpen, setCompareOpen] = useState(false);
  const compareButtonRef = useRef<HTMLButtonElement>(null);
  const comparing = isRunning(compare.state);
  const running = state.run !== null || comparing;

  // Renames from the sidebar (and stats saved after an answer) show up here without a reload.
  useEffect(() => {
    if (listVersion > 0) refresh();
  }, [listVersion, refresh]);

  useEffect(() => {
    document.title = state.title ? `${state.title} · BitNet Chat` : "BitNet Chat";
  }, [state.title]);

  // Esc stops from anywhere on the page, unless a dialog is open (Esc belongs to it then).
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented && !document.querySelector("dialog[open]")) (comparing ? compare.stop : stopAnswer)();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [running, comparing, compare.stop, stopAnswer]);

  // Ctrl+Shift+C copies the last answer (the app-wide shortcuts live in the shell).
  const messagesRef = useRef(state.messages);
  useEffect(() => {
    messagesRef.current = state.messages;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || shortcutFor(e, isTypingTarget(e.target)) !== "copy-last-answer") return;
      e.preventDefault();
      const answer = [...messagesRef.current].reverse().find((m) => m.role === "assistant" && m.content);
      if (!answer) return setNotice("There is no answer to copy yet.");
      void copyText(answer.content).then((ok) => setNotice(ok ? "Last answer copied." : "Copy failed — select the text instead."));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 2500);
    return () => clearTimeout(timer);
  }, [notice]);

  const focusComposer = useCallback(() => composerRef.current?.focus(), []);
  const afterRun = useCallback(
    (outcome: RunOutcome, content: string) => {
      if (outcome === "rejected") setDraft((current) => (current.trim() ? current : content));
      focusComposer();
    },
    [focusComposer, setDraft],
  );

  const files = useAttachments();
  const { take: takeFiles, restore: restoreFiles } = files;
  const modelReason = composerBlockReason(app.model.status, app.model.unreachable);
  const tooLong = attachmentOverflow({ fileTokens: files.tokens, questionChars: draft.length, contextLength: app.model.status?.contextLength ?? 0, maxNewTokens: params.maxNewTokens });
  const disabledReason =
    modelReason ??
    tooLong ??
    (files.reading ? "Reading the attached files…" : null) ??
    (paramsInvalid ? "Fix the highlighted value in Settings to send." : null) ??
    (compare.state && !comparing ? "Keep one of the two answers to continue the chat." : null);

  const send = useCallback(
    (text: string) => {
      setDraft("");
      const attached = takeFiles();
      void sendMessage(text, params, attached).then((outcome) => {
        if (outcome === "rejected") restoreFiles(attached);
        afterRun(outcome, text);
      });
    },
    [sendMessage, params, afterRun, setDraft, takeFiles, restoreFiles],
  );
  const regenerate = useCallback(
    (messageId?: string) => {
      void regenerateAnswer(params, messageId).then(() => focusComposer());
    },
    [regenerateAnswer, params, focusComposer],
  );
  const edit = useCallback(
    (messageId: string | undefined, text: string) => {
      void editAndResend(text, params, messageId).then(() => focusComposer());
    },
    [editAndResend, params, focusComposer],
  );
  const extend = useCallback(
    (messageId: string) => {
      void continueAnswer(params, messageId).then(() => focusComposer());
    },
    [continueAnswer, params, focusComposer],
  );
  const replay = useCallback(
    (messageId: string) => {
      void replayAnswer(messageId).then(() => focusComposer());
    },
    [replayAnswer, focusComposer],
  );
  const branch = useCallback(
    (messageId: string, tokenIndex: number, tokenId: number) => {
      void branchAnswer(params, messageId, tokenIndex, tokenId).then(() => focusComposer());
    },
    [branchAnswer, params, focusComposer],
  );
  const stop = useCallback(() => {
    if (comparing) compare.stop();
    else stopAnswer();
    focusComposer();
  }, [comparing, compare, stopAnswer, focusComposer]);
  const [compareError, setCompareError] = useState<string | null>(null);
  const startCompare = useCallback(
    (variants: [Variant, Variant]) => {
      const text = draft;
      setDraft("");
      setCompareError(null);
      void compare.start(text, params, variants).then((error) => {
        if (error === null) return;
        // Nothing was stored: the question goes back into the composer, as for a refused send.
        compare.dismiss();
        setCompareError(error);
        setDraft((current) => (current.trim() ? current : text));
      });
    },
    [compare, draft, params, setDraft],
  );

  if (loadState === "not-found") {
    return (
      <div className="flex min-h-0 flex-1 flex-col">
        <ChatHeader title="Not found" conversationId={null} contextUsed={null} />
        <NotFoundNotice />
      </div>
    );
  }

  // While a compare pair is on screen it shows its question and answers itself; the list stops before them.
  const cut = compare.state?.userMessageId ? state.messages.findIndex((m) => m.id === compare.state?.userMessageId) : -1;
  const shownMessages = cut >= 0 ? state.messages.slice(0, cut) : state.messages;
  // A pair this page re-attached to (reload, another tab) knows its question only from the stored messages.
  const compareQuestion = compare.state?.question || (cut >= 0 ? state.messages[cut]!.content : "");
  const contextUsed = contextUsage(state);
  // Actions on messages wait while a compare pair runs too (the conversation has one running unit at a time).
  const ready = disabledReason === null && !comparing;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <ChatHeader
        title={headerTitle({ title: state.title, conversationId: state.conversationId ?? compare.state?.conversationId ?? null, fallbacks: [compare.state?.title] })}
        conversationId={state.conversationId}
        contextUsed={contextUsed}
      />
      {loadState === "loading" ? (
        <p role="status" className="flex flex-1 items-center justify-center text-sm text-zinc-600 dark:text-zinc-400">Loading conversation…</p>
      ) : loadState === "error" ? (
        <p role="alert" className="flex flex-1 items-center justify-center px-4 text-center text-sm text-red-600">
          Could not load this conversation: {chat.loadError}
        </p>
      ) : state.messages.length === 0 && !compare.state ? (
        <div className="flex min-h-0 flex-1 overflow-y-auto">
          <ExamplePrompts
            demo={app.model.status?.state === "ready" && app.model.status.isDemo}
            modelId={app.model.status?.state === "ready" && !app.model.unreachable ? app.model.status.modelId : null}
            onPick={(prompt) => (ready && !running ? send(prompt) : (setDraft(prompt), focusComposer()))}
          />
        </div>
      ) : (
        <MessageList
          messages={shownMessages}
          footer={compare.state ? <CompareView state={compare.state} question={compareQuestion} onKeep={compare.keep} /> : undefined}
          footerKey={compare.state ? compare.state.columns.map((c) => `${c.text.length}${c.phase}`).join(":") : ""}
          run={state.run}
          canRegenerate={(message) => ready && canRegenerate(state, message)}
          canEdit={canEdit(state) && ready}
          canContinue={(message) => ready && canContinue(state, message)}
          onRegenerate={regenerate}
          onEdit={edit}
          onContinue={extend}
          onSwitchVersion={switchVersion}
          onReplay={ready && !running ? replay : undefined}
          conversationId={state.conversationId ?? undefined}
          onBranch={ready && !running ? branch : undefined}
          editRequest={editRequest}
        />
      )}
      <div className="relative mx-auto w-full max-w-3xl shrink-0 space-y-2 px-3 pb-3 pt-1 sm:px-4">
        <ModelStatusPanel />
        {compareError && (
          <div role="alert" className="flex items-start justify-between gap-2 rounded-xl border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
            <span className="break-words">Compare: {compareError}</span>
            <button type="button" onClick={() => setCompareError(null)} className="shrink-0 text-xs underline">
              Dismiss
            </button>
          </div>
        )}
        {state.error && (
          <div role="alert" className="flex items-start justify-between gap-2 rounded-xl border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
            <span className="break-words">{state.error}</span>
            <button type="button" onClick={dismissError} className="shrink-0 text-xs underline">
              Dismiss
            </button>
          </div>
        )}
        <SettingsPanel
          id="settings-panel"
          open={settingsOpen}
          onClose={() => setSettingsOpen(false)}
          returnFocusTo={settingsButtonRef}
          params={params}
          onChange={setParams}
          onInvalidChange={setParamsInvalid}
          onUseAsDefault={useAsDefault}
          saveError={saveError ?? savedPresets.error}
          savedPresets={savedPresets.presets}
          onSavePreset={(name) => savedPresets.save(name, params)}
          onDeletePreset={savedPresets.remove}
        />
        <CompareForm
          id="compare-form"
          open={compareOpen}
          onClose={() => setCompareOpen(false)}
          returnFocusTo={compareButtonRef}
          params={params}
          blockedReason={files.items.length > 0 ? "Compare does not take attached files: remove them first." : draft.trim() ? (running ? "Wait for the answer being written, or stop it." : disabledReason) : "Type the question in the message box first."}
          onCompare={startCompare}
        />
        <Composer
          value={draft}
          onChange={setDraft}
          onSend={() => send(draft)}
          onStop={stop}
          running={running}
          queued={state.run?.phase === "queued"}
          disabledReason={disabledReason}
          inputRef={composerRef}
          accessory={
            <>
              <CompareButton ref={compareButtonRef} open={compareOpen} controls="compare-form" onToggle={() => (setCompareOpen((o) => !o), setSettingsOpen(false))} />
              <SettingsButton ref={settingsButtonRef} open={settingsOpen} invalid={paramsInvalid} controls="settings-panel" onToggle={() => (setSettingsOpen((o) => !o), setCompareOpen(false))} />
            </>
          }
          onEditLast={canEdit(state) && ready && !running ? () => setEditRequest((n) => n + 1) : undefined}
          onAttach={files.add}
          attachments={
            files.items.length > 0 || files.errors.length > 0 ? (
              <div className="flex flex-col gap-1">
                <AttachmentChips chips={files.items} onRemove={files.remove} />
                {files.errors.map((error) => (
                  <p key={error} role="alert" className="flex items-start justify-between gap-2 px-1 text-xs text-red-700 dark:text-red-300">
                    <span className="break-words">{error}</span>
                    <button type="button" onClick={files.dismissErrors} className="shrink-0 underline">
                      Dismiss
                    </button>
                  </p>
                ))}
              </div>
            ) : undefined
          }
        />
        <p role="status" className={notice ? "fixed bottom-24 left-1/2 z-20 -translate-x-1/2 rounded-full bg-zinc-900 px-3 py-1.5 text-xs text-white shadow dark:bg-zinc-100 dark:text-zinc-900" : "sr-only"}>
          {notice}
        </p>
      </div>
    </div>
  );
}
