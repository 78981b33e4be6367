"use client";
/**
 * The files attached to the message being written: each is read on the server as it is added (its text
 * and token count come back for its chip); at most ATTACHMENT_LIMITS.files, with a message for each
 * refusal (too many, too big, not text).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ATTACHMENT_LIMITS } from "@/lib/attachments";
import type { AttachmentInput, ExtractedAttachment } from "@/lib/schemas/attachments";
import { readAttachment } from "./api";

export interface DraftAttachment {
  key: string;
  name: string;
  /** Null while the server reads it. */
  file: ExtractedAttachment | null;
}

export function useAttachments() {
  const [items, setItems] = useState<DraftAttachment[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  // Files added in one go count at once, before the list re-renders.
  const countRef = useRef(0);
  useEffect(() => {
    countRef.current = items.length;
  }, [items]);

  const add = useCallback((files: readonly File[]) => {
    const room = ATTACHMENT_LIMITS.files - countRef.current;
    const taken = files.slice(0, Math.max(0, room));
    const refused = files.length - taken.length;
    setErrors(refused > 0 ? [`At most ${ATTACHMENT_LIMITS.files} files per message: ${files.slice(taken.length).map((f) => f.name).join(", ")} left out.`] : []);
    const added = taken.map((file) => ({ key: `${file.name}-${Math.random().toString(36).slice(2)}`, name: file.name, file: null }));
    countRef.current += added.length;
    setItems((current) => [...current, ...added]);
    for (const [i, file] of taken.entries()) {
      const key = added[i]!.key;
      readAttachment(file).then(
        (read) => setItems((current) => current.map((item) => (item.key === key ? { ...item, file: read } : item))),
        (error: unknown) => {
          setItems((current) => current.filter((item) => item.key !== key));
          setErrors((current) => [...current, error instanceof Error ? error.message : String(error)]);
        },
      );
    }
  }, []);

  const remove = useCallback((key: string) => setItems((current) => current.filter((item) => item.key !== key)), []);
  /** Takes the ready files for sending and empties the list; `restore` puts them back (a refused send). */
  const take = useCallback((): ExtractedAttachment[] => {
    const ready = items.flatMap((item) => (item.file ? [item.file] : []));
    setItems([]);
    setErrors([]);
    return ready;
  }, [items]);
  const restore = useCallback((files: readonly ExtractedAttachment[]) => {
    setItems((current) => (current.length ? current : files.map((file) => ({ key: `${file.name}-${Math.random().toString(36).slice(2)}`, name: file.name, file }))));
  }, []);
  const dismissErrors = useCallback(() => setErrors([]), []);

  const reading = items.some((item) => item.file === null);
  const tokens = items.reduce((n, item) => n + (item.file?.tokens ?? 0), 0);
  return { items, errors, reading, tokens, add, remove, take, restore, dismissErrors };
}

/** What a request sends of a file: the server counts its tokens again. */
export function toAttachmentInput(file: ExtractedAttachment): AttachmentInput {
  return { name: file.name, mediaType: file.mediaType, text: file.text };
}
