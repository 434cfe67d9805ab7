// Device and metric names → ids (and the metric's unit), cached from the database so that
// validating a message costs two map lookups. A miss triggers a reload, at most one per
// `minRefreshIntervalMs`, so a flood of unknown names cannot hammer the database.
import type pg from "pg";
import type { RegisteredMetric, RegistryView } from "./payload.ts";

export interface DeviceRegistryOptions {
  /** Least time between two reloads; default 1 s. */
  minRefreshIntervalMs?: number;
  /** Called after a reload with the ids of devices that were known before and are gone now. */
  onDevicesRemoved?: (ids: string[]) => void;
}

type Queryable = Pick<pg.Pool, "query">;

export class DeviceRegistry implements RegistryView {
  #pool: Queryable;
  #minInterval: number;
  #onDevicesRemoved: DeviceRegistryOptions["onDevicesRemoved"];
  #devices = new Map<string, { id: string }>();
  #metrics = new Map<string, RegisteredMetric>();
  #lastLoadStart = Number.NEGATIVE_INFINITY;
  /** Start time of the newest finished reload. */
  #loadedAsOf = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;
  /** Number of completed reloads (tests and metrics read it). */
  loads = 0;

  constructor(pool: Queryable, options: DeviceRegistryOptions = {}) {
    this.#pool = pool;
    this.#minInterval = options.minRefreshIntervalMs ?? 1000;
    this.#onDevicesRemoved = options.onDevicesRemoved;
  }

  device(name: string): { id: string } | undefined {
    return this.#devices.get(name);
  }

  metric(name: string): RegisteredMetric | undefined {
    return this.#metrics.get(name);
  }

  /** Loads both tables now. */
  load(): Promise<void> {
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * Call after a miss: resolves once a reload that started after this call has finished, waiting
   * out the rate limit if needed. Callers that miss together share one reload, and a name that
   * was registered before the miss is always found afterwards.
   */
  async refreshAfterMiss(): Promise<void> {
    const asked = performance.now();
    // A reload already running may have read the tables before the name was added: wait for it,
    // then for one that starts after `asked`.
    while (this.#loadedAsOf < asked) {
      if (this.#pending) {
        await this.#pending;
        continue;
      }
      const wait = this.#lastLoadStart + this.#minInterval - performance.now();
      if (wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      await this.load();
    }
  }

  async #load(): Promise<void> {
    const started = (this.#lastLoadStart = performance.now());
    const [devices, metrics] = await Promise.all([
      this.#pool.query<{ id: string; name: string }>(`SELECT id, name FROM "Device"`),
      this.#pool.query<RegisteredMetric & { name: string }>(
        `SELECT id, name, unit, "minValue", "maxValue" FROM "Metric"`,
      ),
    ]);
    const before = this.#devices;
    this.#devices = new Map(devices.rows.map((d) => [d.name, { id: d.id }]));
    if (this.#onDevicesRemoved && before.size > 0) {
      const now = new Set(devices.rows.map((d) => d.id));
      const removed = [...new Set([...before.values()].map((d) => d.id))].filter(
        (id) => !now.has(id),
      );
      if (removed.length) this.#onDevicesRemoved(removed);
    }
    this.#metrics = new Map(metrics.rows.map(({ name, ...metric }) => [name, metric]));
    this.#loadedAsOf = started;
    this.loads++;
  }
}
