// One LISTEN per API process on `gridfill_progress` (sent by triggers in the transactions that move
// a fill's, import's or export's progress), fanned out to every subscription of the process. A
// subscription re-reads its row only when a notification names it: while nothing moves, the
// database sees nothing from any subscriber. The listening connection opens with the first
// subscriber and closes with the last, so a stopping server leaves nothing behind.
import pg from "pg";
import type { Pool } from "@gridfill/db";

export type ProgressKind = "fill" | "import" | "export";
export interface ProgressEvent {
  kind: ProgressKind;
  id: string;
  datasetId: string | null;
}
/** A notification, or "resync" when the connection was lost and changes may have been missed. */
type Listener = (event: ProgressEvent | "resync") => void;

const CHANNEL = "gridfill_progress";
const RECONNECT_MS = 1000;

export class ProgressHub {
  private readonly listeners = new Set<Listener>();
  private client: pg.Client | undefined;
  private opening: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  /** Starts delivering events to the listener; resolves once the LISTEN is in place. */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.open();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.close();
    };
  }

  private open(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.opening ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString });
      client.on("notification", (message) => {
        if (message.channel !== CHANNEL || !message.payload) return;
        const event = JSON.parse(message.payload) as ProgressEvent;
        for (const listener of this.listeners) listener(event);
      });
      client.on("error", () => this.lost(client));
      client.on("end", () => this.lost(client));
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
      } catch (error) {
        client.end().catch(() => {});
        throw error;
      } finally {
        this.opening = undefined;
      }
      this.client = client;
    })();
    return this.opening;
  }

  /** The connection dropped: reconnect while anyone listens, then tell them to re-read. */
  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.listeners.size === 0) return;
    const again = () => {
      this.retry = undefined;
      if (this.listeners.size === 0) return;
      this.open().then(
        () => this.listeners.forEach((listener) => listener("resync")),
        () => (this.retry = setTimeout(again, RECONNECT_MS)),
      );
    };
    this.retry = setTimeout(again, RECONNECT_MS);
  }

  private close() {
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => {});
  }
}

const hubs = new WeakMap<Pool, ProgressHub>();

/** The process's hub for the database behind this pool. */
export function progressHub(pool: Pool | undefined): ProgressHub {
  if (!pool) throw new Error("progress subscriptions need the API's database pool");
  let hub = hubs.get(pool);
  if (!hub) {
    const { connectionString } = pool.options;
    if (!connectionString) throw new Error("the API's pool has no connection string");
    hub = new ProgressHub(connectionString);
    hubs.set(pool, hub);
  }
  return hub;
}

export interface WatchOptions<T> {
  /** Which notifications concern this watch. */
  matches: (event: ProgressEvent) => boolean;
  /** Reads what to send; null ends the watch (the row is gone). */
  load: () => Promise<T | null>;
  /** What must differ for a new read to be sent. */
  signature: (row: T) => string;
  /** True when nothing more will change (the watch ends after sending it). */
  finished?: (row: T) => boolean;
}

/** Sends the current state at once, then each change a notification announces. */
export async function* watchProgress<T>(
  hub: ProgressHub,
  options: WatchOptions<T>,
): AsyncGenerator<T> {
  let dirty = true; // the first read
  let wake: (() => void) | undefined;
  const unsubscribe = await hub.subscribe((event) => {
    if (event !== "resync" && !options.matches(event)) return;
    dirty = true;
    wake?.();
  });
  try {
    let last: string | undefined;
    for (;;) {
      if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      dirty = false;
      const row = await options.load();
      if (!row) return;
      const signature = options.signature(row);
      if (signature !== last) {
        last = signature;
        yield row;
      }
      if (options.finished?.(row)) return;
    }
  } finally {
    unsubscribe();
  }
}
