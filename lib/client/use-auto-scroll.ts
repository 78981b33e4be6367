"use client";
/**
 * Follows a growing list (the streaming answer) while the user is at the bottom; as soon as they
 * scroll up it lets go, and `jumpToLatest` picks it up again.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Pixels from the bottom that still count as "at the bottom" (rounding, a partly shown line). */
export const STICK_THRESHOLD_PX = 48;

export function isNearBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_THRESHOLD_PX;
}

export function useAutoScroll<T extends HTMLElement>(dependency: unknown) {
  const ref = useRef<T | null>(null);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const near = isNearBottom(el);
    if (near !== followingRef.current) {
      followingRef.current = near;
      setFollowing(near);
    }
  }, []);

  // Before paint, so the list never flashes one frame scrolled away from the newest token.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
  }, [dependency]);

  // Markdown renders deferred (after this hook's layout effect), so also follow every size change
  // of the content itself.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.addEventListener("scroll", onScroll, { passive: true });
    const observer = new ResizeObserver(() => {
      if (followingRef.current) el.scrollTop = el.scrollHeight;
    });
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, [onScroll]);

  const jumpToLatest = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    followingRef.current = true;
    setFollowing(true);
    // Instant on purpose: the intermediate positions of a smooth scroll would read as "user scrolled up".
    el.scrollTop = el.scrollHeight;
  }, []);

  return { ref, following, jumpToLatest };
}
