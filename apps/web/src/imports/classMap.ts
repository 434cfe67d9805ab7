// The import dialog's class map: rows of "from → to" (or "from → dropped"), or the same as pasted
// JSON ({ "Insulator": "insulator", "tower": null }), checked as the API checks it.

export interface ClassMapRow {
  from: string;
  to: string;
  /** Drop the boxes of this class instead of renaming it. */
  drop: boolean;
}

export type ClassMap = Record<string, string | null>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_FROM = 200;
const MAX_TO = 64;

export const emptyRow = (): ClassMapRow => ({ from: "", to: "", drop: false });

/** The map the rows describe (null when there are none), or the first problem. */
export function classMapFromRows(rows: readonly ClassMapRow[]): Parsed<ClassMap | null> {
  const map: ClassMap = {};
  let count = 0;
  for (const [index, row] of rows.entries()) {
    const from = row.from.trim();
    const to = row.to.trim();
    if (!from && !to && !row.drop) continue; // an untouched row
    const where = `Row ${index + 1}`;
    if (!from) return { ok: false, error: `${where}: name the class to rename.` };
    if (from.length > MAX_FROM)
      return { ok: false, error: `${where}: at most ${MAX_FROM} characters.` };
    if (Object.hasOwn(map, from))
      return { ok: false, error: `${where}: “${from}” is mapped twice.` };
    if (!row.drop && !to)
      return { ok: false, error: `${where}: give the new name, or drop the class.` };
    if (to.length > MAX_TO)
      return { ok: false, error: `${where}: class names have at most ${MAX_TO} characters.` };
    map[from] = row.drop ? null : to;
    count += 1;
  }
  return { ok: true, value: count ? map : null };
}

/** Rows from pasted JSON, or why it cannot be a class map. */
export function rowsFromJson(text: string): Parsed<ClassMapRow[]> {
  if (!text.trim()) return { ok: true, value: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return {
      ok: false,
      error: 'A class map is an object, e.g. { "Insulator": "insulator", "tower": null }.',
    };
  const rows: ClassMapRow[] = [];
  for (const [from, to] of Object.entries(parsed)) {
    if (to !== null && typeof to !== "string")
      return {
        ok: false,
        error: `“${from}”: the new name must be a string, or null to drop the class.`,
      };
    rows.push({ from, to: to ?? "", drop: to === null });
  }
  const checked = classMapFromRows(rows);
  return checked.ok ? { ok: true, value: rows } : checked;
}

/** Pretty JSON of the rows that are complete (for switching from rows to the JSON view). */
export function rowsToJson(rows: readonly ClassMapRow[]): string {
  const map: ClassMap = {};
  for (const row of rows) {
    const from = row.from.trim();
    if (from) map[from] = row.drop ? null : row.to.trim();
  }
  return Object.keys(map).length ? JSON.stringify(map, null, 2) : "";
}
