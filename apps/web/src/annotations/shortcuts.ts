/** The box editor's keyboard shortcuts, listed once for the handler's readers and the help dialog. */
export const SHORTCUTS: readonly { keys: string; action: string; mouse?: boolean }[] = [
  { keys: "Drag on the image", action: "Draw a box with the current class", mouse: true },
  { keys: "N", action: "New-box mode (draw even over other boxes)" },
  { keys: "1 – 9", action: "Pick a class (and apply it to the selected box)" },
  { keys: "Click a box", action: "Select it; drag to move, drag a handle to resize", mouse: true },
  { keys: "Tab / Shift-Tab", action: "Select the next / previous box" },
  { keys: "← ↑ → ↓", action: "Nudge the selected box 1 px (with Shift: 10 px)" },
  { keys: "Delete / Backspace", action: "Delete the selected box" },
  { keys: "Esc", action: "Cancel the drag, leave new-box mode, or deselect" },
  { keys: "[ / ]", action: "Previous / next image" },
  { keys: "?", action: "Show this help" },
];
