// Tags are free text chosen by annotators; normalising them (trimmed, lower case, deduplicated)
// keeps "Fog", "fog " and "fog" one tag in filters and in the tag list.
import { badInput } from "../errors.ts";

export const MAX_TAGS = 100;
export const MAX_TAG_LENGTH = 64;

export function hasControlCharacters(value: string): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function normaliseTags(raw: readonly string[]): string[] {
  const tags = new Set<string>();
  for (const t of raw) {
    const tag = t.trim().toLowerCase().replace(/\s+/g, " ");
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH || hasControlCharacters(tag)) {
      throw badInput(
        `tag "${t.slice(0, 80)}" must be at most ${MAX_TAG_LENGTH} printable characters`,
      );
    }
    tags.add(tag);
  }
  if (tags.size > MAX_TAGS) throw badInput(`at most ${MAX_TAGS} tags`);
  return [...tags];
}
