// Batched, idempotent writes of readings and dead letters. Submissions are grouped into a flush
// (at `maxRows` rows or `maxDelayMs` after the first one waits) and COPYed into "Reading"; a
// batch holding an already stored key goes through a staging table and ON CONFLICT DO NOTHING
// instead, so a redelivered message never duplicates a row. Each submission's promise resolves only after its flush has committed:
// that is the moment a message may be acknowledged to the broker.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import copyStreams from "pg-copy-streams";
import type { ResolvedReading } from "./payload.ts";

export interface DeadLetterInput {
  /** Where it came from: `mqtt`, `csv:<file>`, … */
  source: string;
  topic: string | null;
  payload: string;
  /** `CODE: message` (see formatReason). */
  reason: string;
}

export interface CommitInfo {
  /** Wall-clock time of the COMMIT (epoch ms). */
  committedAt: number;
  /** The flush this submission was part of (one INSERT cannot tell which rows were whose). */
  flush: FlushStats;
}

export interface FlushStats {
  submissions: number;
  rows: number;
  inserted: number;
  deadLetters: number;
  durationMs: number;
  committedAt: number;
  /** `direct`: COPY into "Reading"; `staged`: the batch held a stored key, ON CONFLICT path. */
  path: "direct" | "staged";
}

export interface ReadingWriterOptions {
  /** Flush when this many readings wait; default 5,000. */
  maxRows?: number;
  /** Flush this long after the first waiting submission; default 50 ms. */
  maxDelayMs?: number;
  /** Flushes that may run at once, each on its own connection; default 2. */
  concurrency?: number;
  /** Called after every committed flush (metrics). */
  onFlush?: (stats: FlushStats) => void;
  /** Called when a flush fails and will be retried. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** A submission the database refused for its content (not for a lost connection). */
export class WriteRejectedError extends Error {
  readonly code: string | undefined;
  constructor(cause: unknown) {
    super(`database refused the rows: ${(cause as Error).message}`, { cause });
    this.name = "WriteRejectedError";
    this.code = (cause as { code?: string }).code;
  }
}

interface Submission {
  readings: readonly ResolvedReading[];
  deadLetters: readonly DeadLetterInput[];
  resolve(info: CommitInfo): void;
  reject(error: unknown): void;
}

const STAGE = "gridfill_reading_stage";
// Sorted insertion keeps concurrent flushes from deadlocking on overlapping (redelivered) keys.
const MOVE_READINGS = `INSERT INTO "Reading" ("deviceId", "metricId", "time", "value")
  SELECT "deviceId", "metricId", "time", "value" FROM ${STAGE} ORDER BY "deviceId", "metricId", "time"
  ON CONFLICT ("deviceId", "metricId", "time") DO NOTHING`;
const COPY_READINGS = `COPY "Reading" ("deviceId", "metricId", "time", "value") FROM STDIN (FORMAT binary)`;
const INSERT_DEAD_LETTERS = `INSERT INTO "DeadLetter" ("source", "topic", "payload", "reason")
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`;

/** PostgreSQL refuses NUL in text; keep the rest of a hostile payload readable. */
function textSafe(s: string): string {
  return s.includes("\0") ? s.replaceAll("\0", "\uFFFD") : s;
}

/** Errors worth retrying as is: the connection or the server, not the data. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  if (!code) return true; // socket errors, "Connection terminated", timeouts
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, …
  return (
    code.startsWith("08") ||
    code.startsWith("53") ||
    code.startsWith("57P") ||
    code === "40001" ||
    code === "40P01"
  );
}

// COPY in binary: PostgreSQL skips parsing uuid, timestamp and float text, the largest part of
// its per-row work. Layout: signature, flags, extension length; per row a field count and
// (length, bytes) per field; a -1 trailer.
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const ROW_BYTES = 2 + (4 + 16) + (4 + 4) + (4 + 8) + (4 + 8);
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;

const uuidBytes = new Map<string, Buffer>();
function uuidToBytes(uuid: string): Buffer {
  let bytes = uuidBytes.get(uuid);
  if (!bytes) {
    bytes = Buffer.from(uuid.replaceAll("-", ""), "hex");
    if (bytes.length !== 16) throw new Error(`not a uuid: ${uuid}`);
    if (uuidBytes.size > 100_000) uuidBytes.clear(); // devices, not readings: rarely reached
    uuidBytes.set(uuid, bytes);
  }
  return bytes;
}

/** The batch's readings as one binary COPY stream ("deviceId", "metricId", "time", "value"). */
export function encodeCopyBinary(readings: Iterable<ResolvedReading>, count: number): Buffer {
  const buf = Buffer.allocUnsafe(SIGNATURE.length + 8 + count * ROW_BYTES + 2);
  let o = SIGNATURE.copy(buf, 0);
  o = buf.writeInt32BE(0, o);
  o = buf.writeInt32BE(0, o);
  for (const r of readings) {
    o = buf.writeInt16BE(4, o);
    o = buf.writeInt32BE(16, o);
    o += uuidToBytes(r.deviceId).copy(buf, o);
    o = buf.writeInt32BE(4, o);
    o = buf.writeInt32BE(r.metricId, o);
    // int64 microseconds, written as two 32-bit halves (exact: well inside 2^53).
    const micros = (r.time - PG_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_32);
    o = buf.writeInt32BE(8, o);
    o = buf.writeInt32BE(high, o);
    o = buf.writeUInt32BE(micros - high * TWO_32, o);
    o = buf.writeInt32BE(8, o);
    o = buf.writeDoubleBE(r.value, o);
  }
  o = buf.writeInt16BE(-1, o);
  return o === buf.length ? buf : buf.subarray(0, o);
}

function* batchReadings(subs: readonly Submission[]): Generator<ResolvedReading> {
  for (const s of subs) yield* s.readings;
}

export class ReadingWriter {
  readonly #pool: pg.Pool;
  readonly #maxRows: number;
  readonly #maxDelay: number;
  readonly #concurrency: number;
  readonly #onFlush: ReadingWriterOptions["onFlush"];
  readonly #onRetry: ReadingWriterOptions["onRetry"];
  #waiting: Submission[] = [];
  #waitingRows = 0;
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  #running = 0;
  #idle: Array<() => void> = [];
  #closed = false;
  #staged = new WeakSet<pg.PoolClient>();
  /** Submissions not yet committed or failed. */
  #unsettled = new Set<Promise<CommitInfo>>();

  constructor(pool: pg.Pool, options: ReadingWriterOptions = {}) {
    this.#pool = pool;
    this.#maxRows = options.maxRows ?? 5000;
    this.#maxDelay = options.maxDelayMs ?? 50;
    this.#concurrency = options.concurrency ?? 2;
    this.#onFlush = options.onFlush;
    this.#onRetry = options.onRetry;
  }

  /** Readings and dead letters, written in one transaction with others; resolves after COMMIT. */
  submit(
    readings: readonly ResolvedReading[],
    deadLetters: readonly DeadLetterInput[] = [],
  ): Promise<CommitInfo> {
    if (this.#closed) return Promise.reject(new Error("ReadingWriter is closed"));
    const submission = new Promise<CommitInfo>((resolve, reject) => {
      this.#waiting.push({ readings, deadLetters, resolve, reject });
      this.#waitingRows += readings.length + deadLetters.length;
      if (this.#waitingRows >= this.#maxRows) this.#due = true;
      else
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#due = true;
          this.#pump();
        }, this.#maxDelay);
      this.#pump();
    });
    this.#unsettled.add(submission);
    const forget = () => void this.#unsettled.delete(submission);
    submission.then(forget, forget);
    return submission;
  }

  /**
   * Resolves once every submission made before the call has committed or failed; unlike drain(),
   * it does not wait for submissions made afterwards.
   */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#unsettled]);
  }

  /** Rows waiting for a flush. */
  get backlog(): number {
    return this.#waitingRows;
  }

  /** Writes everything submitted so far; resolves when all of it has committed or failed. */
  async drain(): Promise<void> {
    this.#due = this.#waiting.length > 0;
    this.#pump();
    while (this.#running > 0 || this.#waiting.length > 0) {
      await new Promise<void>((r) => this.#idle.push(r));
      this.#due = this.#waiting.length > 0;
      this.#pump();
    }
  }

  /** Drains, then refuses further submissions. */
  async close(): Promise<void> {
    await this.drain();
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #pump(): void {
    while (this.#due && this.#waiting.length > 0 && this.#running < this.#concurrency) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      // Take whole submissions up to maxRows (at least one), so a message is never split.
      const batch: Submission[] = [];
      let rows = 0;
      while (this.#waiting.length > 0) {
        const next = this.#waiting[0]!;
        const n = next.readings.length + next.deadLetters.length;
        if (batch.length > 0 && rows + n > this.#maxRows) break;
        batch.push(this.#waiting.shift()!);
        rows += n;
      }
      this.#waitingRows -= rows;
      this.#due = this.#waitingRows >= this.#maxRows;
      if (this.#waiting.length > 0 && !this.#due) {
        // What is left waits at most maxDelay more.
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#due = true;
          this.#pump();
        }, this.#maxDelay);
      }
      this.#running++;
      void this.#flushWithRetry(batch).finally(() => {
        this.#running--;
        if (this.#waitingRows >= this.#maxRows) this.#due = true;
        this.#pump();
        for (const wake of this.#idle.splice(0)) wake();
      });
    }
  }

  async #flushWithRetry(batch: Submission[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const stats = await this.#flush(batch);
        this.#onFlush?.(stats);
        for (const s of batch) s.resolve({ committedAt: stats.committedAt, flush: stats });
        return;
      } catch (error) {
        if (!isTransient(error)) {
          if (batch.length === 1) {
            batch[0]!.reject(new WriteRejectedError(error));
            return;
          }
          // One bad submission must not sink the others: write each on its own.
          await Promise.all(batch.map((s) => this.#flushWithRetry([s])));
          return;
        }
        if (this.#closed) {
          for (const s of batch) s.reject(error);
          return;
        }
        this.#onRetry?.(error, attempt);
        await new Promise((r) => setTimeout(r, Math.min(5000, 50 * 2 ** Math.min(attempt, 7))));
      }
    }
  }

  // Fast path: COPY straight into "Reading", as fast as a bulk load. A duplicate key (a
  // redelivered message) makes PostgreSQL refuse the whole COPY; the batch is then written again
  // through the staging table with ON CONFLICT DO NOTHING. Redeliveries are rare (after a crash
  // or reconnect), so nearly every batch takes the fast path.
  async #flush(batch: Submission[]): Promise<FlushStats> {
    try {
      return await this.#write(batch, "direct");
    } catch (error) {
      if ((error as { code?: string }).code !== "23505") throw error;
      return await this.#write(batch, "staged");
    }
  }

  async #write(batch: Submission[], path: "direct" | "staged"): Promise<FlushStats> {
    const started = performance.now();
    let rows = 0;
    const dl = {
      source: [] as string[],
      topic: [] as (string | null)[],
      payload: [] as string[],
      reason: [] as string[],
    };
    for (const s of batch) {
      rows += s.readings.length;
      for (const d of s.deadLetters) {
        dl.source.push(d.source);
        dl.topic.push(d.topic === null ? null : textSafe(d.topic));
        dl.payload.push(textSafe(d.payload));
        dl.reason.push(textSafe(d.reason));
      }
    }
    const client = await this.#pool.connect();
    let broken = false;
    try {
      if (path === "staged" && !this.#staged.has(client)) {
        await client.query(
          `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (LIKE "Reading") ON COMMIT DELETE ROWS`,
        );
        this.#staged.add(client);
      }
      await client.query("BEGIN");
      let inserted = 0;
      if (rows > 0) {
        const target =
          path === "direct" ? COPY_READINGS : `COPY ${STAGE} FROM STDIN (FORMAT binary)`;
        await pipeline(
          Readable.from([encodeCopyBinary(batchReadings(batch), rows)]),
          client.query(copyStreams.from(target)),
        );
      }
      if (dl.source.length > 0)
        await client.query(INSERT_DEAD_LETTERS, [dl.source, dl.topic, dl.payload, dl.reason]);
      if (rows > 0)
        inserted = path === "direct" ? rows : ((await client.query(MOVE_READINGS)).rowCount ?? 0);
      await client.query("COMMIT");
      const committedAt = Date.now();
      return {
        submissions: batch.length,
        rows,
        inserted,
        deadLetters: dl.source.length,
        durationMs: performance.now() - started,
        committedAt,
        path,
      };
    } catch (error) {
      broken = isTransient(error);
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection in an unknown state is closed rather than returned to the pool.
      client.release(broken);
    }
  }
}
