// Records the SQL the API sends, with parameters and time to result, by wrapping `query` on every
// connection of the pools handed to it. Used for one call per scenario after the timed runs, so
// that a slow scenario can be explained from the exact statements (EXPLAIN ANALYZE replays them).
import pg from "pg";

export interface RecordedQuery {
  text: string;
  values: unknown[];
  ms: number;
}

export class SqlRecorder {
  private recording: RecordedQuery[] | null = null;

  /** A pool whose connections report to this recorder. */
  pool(connectionString: string, max = 10): pg.Pool {
    const pool = new pg.Pool({ connectionString, max });
    pool.on("error", () => {});
    pool.on("connect", (client) => this.wrap(client));
    return pool;
  }

  private wrap(client: pg.PoolClient): void {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      const log = this.recording;
      const first = args[0] as string | { text?: string; values?: unknown[]; submit?: unknown };
      // Streams (COPY, cursors) and untimed internals pass through untouched.
      if (
        !log ||
        (typeof first === "object" && first !== null && typeof first.submit === "function")
      )
        return original(...args);
      const text = typeof first === "string" ? first : (first?.text ?? "");
      const values = (
        typeof first === "string" ? (Array.isArray(args[1]) ? args[1] : []) : (first?.values ?? [])
      ) as unknown[];
      const entry: RecordedQuery = { text, values, ms: 0 };
      log.push(entry);
      const started = performance.now();
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args[args.length - 1] = (err: unknown, res: unknown) => {
          entry.ms = performance.now() - started;
          (last as (e: unknown, r: unknown) => void)(err, res);
        };
        return original(...args);
      }
      const result = original(...args) as Promise<unknown>;
      return result.then(
        (r) => ((entry.ms = performance.now() - started), r),
        (e: unknown) => {
          entry.ms = performance.now() - started;
          throw e;
        },
      );
    };
  }

  /** Runs `fn` and returns the statements it caused (transaction control left out). */
  async capture(fn: () => Promise<unknown>): Promise<RecordedQuery[]> {
    const log: RecordedQuery[] = [];
    this.recording = log;
    try {
      await fn();
    } finally {
      this.recording = null;
    }
    return log.filter((q) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SAVEPOINT|RELEASE)\b/i.test(q.text));
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of a recorded read statement; null for writes. */
export async function explainAnalyze(client: pg.Client, q: RecordedQuery): Promise<string | null> {
  if (!/^\s*(SELECT|WITH)\b/i.test(q.text)) return null;
  try {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`,
      q.values,
    );
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } catch (error) {
    return `(could not explain: ${(error as Error).message})`;
  }
}
