// Cursor connections. A cursor is an opaque, base64url-encoded sort key (never an offset).
import { badInput } from "./errors.ts";

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

/** Decodes a cursor and checks its key with `valid`; a tampered cursor is a client error. */
export function decodeCursor(
  cursor: string | null | undefined,
  valid: (key: string) => boolean,
): string | null {
  if (cursor == null || cursor === "") return null;
  const key = Buffer.from(cursor, "base64url").toString("utf8");
  if (!valid(key)) throw badInput("invalid cursor");
  return key;
}

/** Page size asked for, checked against the configured maximum. */
export function pageSize(
  first: number | null | undefined,
  maxPageSize: number,
  fallback = 50,
): number {
  const n = first ?? Math.min(fallback, maxPageSize);
  if (!Number.isInteger(n) || n < 1) throw badInput("first must be a positive integer");
  if (n > maxPageSize) throw badInput(`first must be at most ${maxPageSize}`, { maxPageSize });
  return n;
}

/** Builds a connection from up to `first + 1` rows (the extra row only says there is a next page). */
export function toConnection<T>(
  rows: T[],
  first: number,
  keyOf: (row: T) => string,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
