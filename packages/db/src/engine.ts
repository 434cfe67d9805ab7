// Loads Prisma's WebAssembly schema engine and connects it to PostgreSQL through adapter-pg.
// The native engine cannot be downloaded everywhere gridfill runs (offline installs), the wasm
// build needs nothing but Node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type {
  SqlMigrationAwareDriverAdapterFactory,
  SqlDriverAdapter,
} from "@prisma/driver-adapter-utils";
import { quoteIdent, withDatabase } from "./urls.ts";
import type * as Bg from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine, MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";

let loaded: typeof Bg | undefined;

/** Instantiates the wasm module by hand: importing .wasm as ESM prints an experimental warning. */
async function loadBindings(): Promise<typeof Bg> {
  if (loaded) return loaded;
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const require = createRequire(import.meta.url);
  const wasmPath = require
    .resolve("@prisma/schema-engine-wasm/schema_engine_bg")
    .replace(/\.js$/, ".wasm");
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const imports: Record<string, unknown> = { ...bg };
  // The engine arms 10 s timers (timeouts around its queries) and never clears them, which kept
  // every command's process alive for 10 s after the work was done. Unref'd timers still fire
  // while the engine is busy: its open database connections keep the event loop alive.
  for (const name of Object.keys(imports)) {
    if (!name.startsWith("__wbg_setTimeout_")) continue;
    imports[name] = (callback: () => void, ms: number) => {
      const timer = setTimeout(callback, ms >>> 0);
      timer.unref();
      return timer;
    };
  }
  const instance = await WebAssembly.instantiate(module, {
    "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  // The engine reports Rust panics through this global before throwing.
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanic = message;
      if (process.env.GRIDFILL_DEBUG) process.stderr.write(`[schema-engine] panic: ${message}\n`);
    },
  };
  loaded = bg;
  return bg;
}

let lastPanic: string | undefined;

const PG_CHAR = 18; // the one-byte "char" of pg_catalog columns such as relkind and contype
const PG_TEXT = 25;
const CHARACTER = 6; // ColumnTypeEnum.Character

type Rows = unknown[][];
type PerformIO = (
  query: unknown,
) => Promise<{ fields?: { dataTypeID: number }[]; rows?: Rows } | undefined>;
type QueryRaw = (query: unknown) => Promise<{ columnTypes: number[]; rows: Rows }>;

/**
 * The engine's schema describer reads pg_catalog columns of type "char" (and expects characters,
 * not strings, e.g. for pg_constraint.contype), which adapter-pg rejects as an unsupported column
 * type. Such columns pass adapter-pg as text, then are re-labelled Character; the result's row
 * array links the two steps. Patched on the adapter and on every transaction it opens.
 */
function acceptCharColumns<T extends object>(queryable: T): T {
  const target = queryable as T & {
    performIO?: PerformIO;
    queryRaw?: QueryRaw;
    startTransaction?: (...args: unknown[]) => Promise<object>;
  };
  const charColumns = new WeakMap<Rows, number[]>();
  const performIO = target.performIO?.bind(target);
  const queryRaw = target.queryRaw?.bind(target);
  if (performIO && queryRaw) {
    target.performIO = async (query) => {
      const result = await performIO(query);
      const indices: number[] = [];
      result?.fields?.forEach((field, i) => {
        if (field.dataTypeID === PG_CHAR) {
          field.dataTypeID = PG_TEXT;
          indices.push(i);
        }
      });
      if (indices.length && result?.rows) charColumns.set(result.rows, indices);
      return result;
    };
    target.queryRaw = async (query) => {
      const result = await queryRaw(query);
      for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = CHARACTER;
      return result;
    };
  }
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction)
    target.startTransaction = async (...args) => acceptCharColumns(await startTransaction(...args));
  return queryable;
}

/**
 * adapter-pg runs a script by splitting it on every ";" (even inside strings, comments and
 * dollar-quoted bodies) and committing each piece separately. A migration is sent whole instead,
 * as one simple-protocol query: PostgreSQL runs it in one implicit transaction, exactly as
 * `prisma migrate deploy` does with the native engine, so a failing migration leaves nothing behind.
 */
function wholeScripts<T extends SqlDriverAdapter>(adapter: T): T {
  const target = adapter as T & { client: pg.Pool; onError(error: unknown): never };
  adapter.executeScript = async (script: string) => {
    try {
      await target.client.query(script);
    } catch (error) {
      target.onError(error);
    }
  };
  return adapter;
}

/**
 * adapter-pg's own connectToShadowDb spreads `{ connectionString, database }` into a pg config,
 * where the connection string wins: the "shadow" database would be the main one, and the engine
 * wipes its shadow database. This factory creates a real temporary database instead.
 */
function adapterFactory(
  url: string,
  opened: SqlDriverAdapter[],
): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg({ connectionString: url, max: 2 });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const adapter = wholeScripts(acceptCharColumns(await main.connect()));
      opened.push(adapter);
      return adapter;
    },
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `gridfill_shadow_${randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } finally {
        await admin.end();
      }
      const adapter = wholeScripts(
        acceptCharColumns(
          await new PrismaPg({ connectionString: withDatabase(url, name), max: 2 }).connect(),
        ),
      );
      const dispose = adapter.dispose.bind(adapter);
      let disposed = false;
      adapter.dispose = async () => {
        if (disposed) return;
        disposed = true;
        await dispose();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      };
      opened.push(adapter);
      return adapter;
    },
  };
}

/**
 * Runs `fn` with a schema engine connected to `url`. The engine is freed afterwards (it holds a
 * connection pool).
 */
export async function withEngine<T>(
  url: string,
  fn: (engine: Bg.SchemaEngine) => Promise<T>,
  datamodels?: [string, string][],
): Promise<T> {
  const bg = await loadBindings();
  const log = (message: string) => {
    if (process.env.GRIDFILL_DEBUG) process.stderr.write(`[schema-engine] ${message}\n`);
  };
  // The engine does not close the pools it opened when freed; idle pg clients would keep the
  // process alive, so every adapter handed out is disposed here.
  const opened: SqlDriverAdapter[] = [];
  try {
    const engine = await bg.SchemaEngine.new(
      { datamodels },
      log,
      bindMigrationAwareSqlAdapterFactory(adapterFactory(url, opened)),
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw engineError(error);
  } finally {
    await Promise.allSettled(opened.map((a) => a.dispose()));
  }
}

/** The engine throws plain objects or strings; turn them into Errors with a readable message. */
function engineError(error: unknown): Error {
  if (error instanceof Error) return error;
  const panic = lastPanic;
  lastPanic = undefined;
  if (typeof error === "string") return new Error(panic ? `${error}: ${panic}` : error);
  const e = error as { message?: string; error_code?: string; meta?: unknown };
  const message = e?.message ?? JSON.stringify(error);
  const err = new Error(e?.error_code ? `${e.error_code}: ${message}` : message);
  (err as Error & { cause?: unknown }).cause = error;
  return err;
}
