// Small helpers for PostgreSQL connection URLs and identifiers.

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

/** The database a URL points at ("postgres" when it names none). */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  return name || "postgres";
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}
