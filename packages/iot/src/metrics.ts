// Ingestion metrics, twice: Prometheus metrics in a registry of their own (the API merges it into
// its /metrics with `Registry.merge`), and a plain snapshot for logs, tests and the console.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RejectionCode } from "./payload.ts";
import type { FlushStats } from "./writer.ts";

export interface IngestSnapshot {
  connected: boolean;
  /** Messages received (stored, dead-lettered or still in progress). */
  messages: number;
  readings: number;
  /** Readings committed per second over the last `RATE_WINDOW_MS`. */
  readingsPerSecond: number;
  deadLetters: Partial<Record<RejectionCode, number>>;
  /** Rejected messages not written because their publisher was over its dead-letter rate. */
  deadLettersDropped: number;
  flushes: number;
  /** Flushes that held an already stored key and went through ON CONFLICT (redeliveries). */
  stagedFlushes: number;
  flushLatencyMs: { last: number; max: number; mean: number };
  /** Receive → commit, per message. */
  lagMs: { last: number; max: number; mean: number };
  /** Messages received and not yet acknowledged. */
  unacked: number;
}

const RATE_WINDOW_MS = 5000;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Running {
  last = 0;
  max = 0;
  #sum = 0;
  #n = 0;
  add(v: number): void {
    this.last = v;
    if (v > this.max) this.max = v;
    this.#sum += v;
    this.#n++;
  }
  get mean(): number {
    return this.#n ? this.#sum / this.#n : 0;
  }
  view(): { last: number; max: number; mean: number } {
    return { last: this.last, max: this.max, mean: this.mean };
  }
}

export class IngestMetrics {
  /** Prometheus registry holding only ingestion metrics. */
  readonly registry = new Registry();
  connected = false;
  messages = 0;
  unacked = 0;
  #readings = 0;
  #flushes = 0;
  #stagedFlushes = 0;
  #deadLetters: Partial<Record<RejectionCode, number>> = {};
  #deadLettersDropped = 0;
  #flushLatency = new Running();
  #lag = new Running();
  /** (time, readings) per commit within the rate window. */
  #recent: Array<[number, number]> = [];

  readonly #promReadings: Counter;
  readonly #promMessages: Counter<"outcome">;
  readonly #promDeadLetters: Counter<"reason">;
  readonly #promDeadLettersDropped: Counter;
  readonly #promFlush: Histogram;
  readonly #promFlushes: Counter<"path">;
  readonly #promLag: Histogram;

  constructor() {
    const registers = [this.registry];
    this.#promReadings = new Counter({
      name: "gridfill_iot_readings_total",
      help: "Readings committed to the Reading table",
      registers,
    });
    this.#promMessages = new Counter({
      name: "gridfill_iot_messages_total",
      help: "Telemetry messages ingested, by outcome",
      labelNames: ["outcome"],
      registers,
    });
    this.#promDeadLetters = new Counter({
      name: "gridfill_iot_dead_letters_total",
      help: "Messages written to DeadLetter, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.#promDeadLettersDropped = new Counter({
      name: "gridfill_iot_dead_letters_dropped_total",
      help: "Rejected messages dropped unwritten: their publisher was over its dead-letter rate",
      registers,
    });
    this.#promFlush = new Histogram({
      name: "gridfill_iot_flush_seconds",
      help: "Duration of one batched write, connect to COMMIT",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#promFlushes = new Counter({
      name: "gridfill_iot_flushes_total",
      help: "Batched writes, by path (direct COPY, or staged ON CONFLICT after a redelivery)",
      labelNames: ["path"],
      registers,
    });
    this.#promLag = new Histogram({
      name: "gridfill_iot_lag_seconds",
      help: "Time from receiving a message to committing its readings",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    // prom-client calls collect() with the gauge as `this`; the metrics object comes in by closure.
    const unacked = () => this.unacked;
    const connected = () => this.connected;
    new Gauge({
      name: "gridfill_iot_unacked_messages",
      help: "Messages received and not yet acknowledged to the broker",
      registers,
      collect() {
        this.set(unacked());
      },
    });
    new Gauge({
      name: "gridfill_iot_connected",
      help: "1 while connected to the MQTT broker",
      registers,
      collect() {
        this.set(connected() ? 1 : 0);
      },
    });
  }

  recordFlush(stats: FlushStats): void {
    this.#flushes++;
    if (stats.path === "staged") this.#stagedFlushes++;
    this.#promFlushes.inc({ path: stats.path });
    this.#flushLatency.add(stats.durationMs);
    this.#promFlush.observe(stats.durationMs / 1000);
  }

  recordStored(readings: number, lagMs: number): void {
    this.#readings += readings;
    this.#promReadings.inc(readings);
    this.#promMessages.inc({ outcome: "stored" });
    this.#lag.add(lagMs);
    this.#promLag.observe(lagMs / 1000);
    const now = Date.now();
    this.#recent.push([now, readings]);
    this.#trim(now);
  }

  recordRejection(code: RejectionCode): void {
    this.#deadLetters[code] = (this.#deadLetters[code] ?? 0) + 1;
    this.#promDeadLetters.inc({ reason: code });
    this.#promMessages.inc({ outcome: "dead_letter" });
  }

  recordDroppedRejection(): void {
    this.#deadLettersDropped++;
    this.#promDeadLettersDropped.inc();
    this.#promMessages.inc({ outcome: "dropped" });
  }

  #trim(now: number): void {
    let drop = 0;
    while (drop < this.#recent.length && this.#recent[drop]![0] < now - RATE_WINDOW_MS) drop++;
    if (drop) this.#recent.splice(0, drop);
  }

  snapshot(): IngestSnapshot {
    const now = Date.now();
    this.#trim(now);
    let recent = 0;
    for (const [, n] of this.#recent) recent += n;
    return {
      connected: this.connected,
      messages: this.messages,
      readings: this.#readings,
      readingsPerSecond: recent / (RATE_WINDOW_MS / 1000),
      deadLetters: { ...this.#deadLetters },
      deadLettersDropped: this.#deadLettersDropped,
      flushes: this.#flushes,
      stagedFlushes: this.#stagedFlushes,
      flushLatencyMs: this.#flushLatency.view(),
      lagMs: this.#lag.view(),
      unacked: this.unacked,
    };
  }
}
