/**
 * The review queue's list arithmetic, kept pure: decided items leave the list and the cursor lands
 * on the item that took the current one's place; an undo puts items back where they were.
 */

export interface QueueState<T extends { id: string }> {
  items: T[];
  /** The current item's index; 0 on an empty list. */
  index: number;
  selected: ReadonlySet<string>;
}

/** Items taken out by one decision, with where each was, so an undo can put them back. */
export interface Removed<T> {
  item: T;
  position: number;
}

export function clampIndex(index: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(Math.max(index, 0), length - 1);
}

export function move<T extends { id: string }>(state: QueueState<T>, delta: number): QueueState<T> {
  return { ...state, index: clampIndex(state.index + delta, state.items.length) };
}

export function toggleSelected<T extends { id: string }>(
  state: QueueState<T>,
  id: string,
): QueueState<T> {
  const selected = new Set(state.selected);
  if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  return { ...state, selected };
}

/** Takes the given ids out; the cursor stays on the same slot (now the next item). */
export function remove<T extends { id: string }>(
  state: QueueState<T>,
  ids: readonly string[],
): { state: QueueState<T>; removed: Removed<T>[] } {
  const doomed = new Set(ids);
  const removed: Removed<T>[] = [];
  const items: T[] = [];
  let removedBeforeCursor = 0;
  state.items.forEach((item, position) => {
    if (doomed.has(item.id)) {
      removed.push({ item, position });
      if (position < state.index) removedBeforeCursor++;
    } else items.push(item);
  });
  const selected = new Set([...state.selected].filter((id) => !doomed.has(id)));
  return {
    state: { items, index: clampIndex(state.index - removedBeforeCursor, items.length), selected },
    removed,
  };
}

/** Puts removed items back at their old positions (in order) and moves the cursor to the first. */
export function restore<T extends { id: string }>(
  state: QueueState<T>,
  removed: readonly Removed<T>[],
): QueueState<T> {
  const present = new Set(state.items.map((item) => item.id));
  const back = removed
    .filter((entry) => !present.has(entry.item.id))
    .sort((a, b) => a.position - b.position);
  if (back.length === 0) return state;
  const items = [...state.items];
  for (const entry of back) items.splice(Math.min(entry.position, items.length), 0, entry.item);
  return {
    ...state,
    items,
    index: clampIndex(Math.min(...back.map((entry) => entry.position)), items.length),
  };
}

/** A fresh page from the API, without the items decided here since (their writes may be in flight). */
export function reload<T extends { id: string }>(
  state: QueueState<T>,
  items: readonly T[],
  decided: ReadonlySet<string>,
): QueueState<T> {
  const currentId = state.items[state.index]?.id;
  const kept = items.filter((item) => !decided.has(item.id));
  const at = currentId ? kept.findIndex((item) => item.id === currentId) : -1;
  const ids = new Set(kept.map((item) => item.id));
  return {
    items: kept,
    index: clampIndex(at === -1 ? state.index : at, kept.length),
    selected: new Set([...state.selected].filter((id) => ids.has(id))),
  };
}

/** Makes the item at `index` current. */
export function goTo<T extends { id: string }>(state: QueueState<T>, index: number): QueueState<T> {
  return { ...state, index: clampIndex(index, state.items.length) };
}

/** "Select all on page": selects every item, or none when every item is selected already. */
export function toggleAll<T extends { id: string }>(state: QueueState<T>): QueueState<T> {
  const all = state.items.length > 0 && state.selected.size === state.items.length;
  return { ...state, selected: all ? new Set() : new Set(state.items.map((item) => item.id)) };
}

/** The selected items' ids, in queue order (what Shift+A / Shift+R decide). */
export function selectedIds<T extends { id: string }>(state: QueueState<T>): string[] {
  return state.items.filter((item) => state.selected.has(item.id)).map((item) => item.id);
}
