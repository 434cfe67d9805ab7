/**
 * Multi-select over an ordered list, as file managers do it: a click toggles one item and sets the
 * anchor; a shift-click selects the range from the anchor; select-all and clear.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function toggle(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Adds every item between the anchor and `id` (inclusive); without an anchor, just `id`. */
export function selectRange(selection: Selection, order: readonly string[], id: string): Selection {
  const to = order.indexOf(id);
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  if (to === -1) return selection;
  if (from === -1) return toggle(selection, id);
  const ids = new Set(selection.ids);
  const [start, end] = from <= to ? [from, to] : [to, from];
  for (let index = start; index <= end; index++) ids.add(order[index]!);
  return { ids, anchor: selection.anchor };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Drops ids that are no longer listed (after a delete or a filter change). */
export function retain(selection: Selection, order: readonly string[]): Selection {
  const present = new Set(order);
  const ids = new Set([...selection.ids].filter((id) => present.has(id)));
  if (ids.size === selection.ids.size) return selection;
  return {
    ids,
    anchor: selection.anchor && present.has(selection.anchor) ? selection.anchor : null,
  };
}
