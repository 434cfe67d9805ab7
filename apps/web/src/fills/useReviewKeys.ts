"use client";

import { useEffect } from "react";
import type { Decision } from "./useReviewQueue";

/** The review queue's keys, listed once for the handler's readers and the help panel. */
export const REVIEW_KEYS: { keys: string; action: string }[] = [
  { keys: "A", action: "Accept the current image" },
  { keys: "R", action: "Reject the current image" },
  { keys: "← / K", action: "Previous image" },
  { keys: "→ / J", action: "Next image" },
  { keys: "Space", action: "Select or unselect the current image" },
  { keys: "Shift + A", action: "Accept the selected images" },
  { keys: "Shift + R", action: "Reject the selected images" },
  { keys: "U", action: "Undo the last decision (back to pending)" },
];

export interface ReviewKeyActions {
  decideCurrent: (decision: Decision["decision"]) => void;
  decideSelected: (decision: Decision["decision"]) => void;
  step: (delta: number) => void;
  toggleCurrent: () => void;
  undo: () => void;
}

/** Keys typed into a field are text; a focused checkbox or button still lets A, R… through. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  return (
    target instanceof HTMLInputElement && !["checkbox", "radio", "button"].includes(target.type)
  );
}

/** REVIEW_KEYS on the whole window, except while typing or while a dialog is open. */
export function useReviewKeys({
  decideCurrent,
  decideSelected,
  step,
  toggleCurrent,
  undo,
}: ReviewKeyActions) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (document.querySelector("dialog[open]")) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      switch (key) {
        case "a":
        case "r": {
          event.preventDefault();
          const decision = key === "a" ? "ACCEPT" : "REJECT";
          if (event.shiftKey) decideSelected(decision);
          else decideCurrent(decision);
          return;
        }
        case "ArrowRight":
        case "j":
          event.preventDefault();
          step(1);
          return;
        case "ArrowLeft":
        case "k":
          event.preventDefault();
          step(-1);
          return;
        case " ":
          // Space on a focused button, link or checkbox keeps its own meaning.
          if (
            event.target instanceof HTMLButtonElement ||
            event.target instanceof HTMLAnchorElement ||
            event.target instanceof HTMLInputElement
          )
            return;
          event.preventDefault();
          toggleCurrent();
          return;
        case "u":
          event.preventDefault();
          undo();
          return;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [decideCurrent, decideSelected, step, toggleCurrent, undo]);
}
