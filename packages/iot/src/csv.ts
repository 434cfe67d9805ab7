// Historical import: `device,metric,time,value[,unit]` rows (a header line is optional), streamed,
// checked like MQTT messages and written through the same idempotent writer, so importing a file
// twice stores each reading once. Rejected rows become dead letters with source `csv:<name>`.
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type pg from "pg";
import { parse } from "csv-parse";
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  formatReason,
  parseTimestamp,
  resolveReadings,
} from "./payload.ts";
import type {
  DecodedReading,
  Decoded,
  Rejection,
  RejectionCode,
  ResolvedReading,
} from "./payload.ts";
import { DeviceRegistry } from "./registry.ts";
import { ReadingWriter } from "./writer.ts";
import type { DeadLetterInput } from "./writer.ts";

export interface CsvImportOptions {
  pool: pg.Pool;
  /** A file path, or a stream of CSV text. */
  input: string | Readable;
  /** Names the import in DeadLetter.source (`csv:<name>`); default the file name. */
  name?: string;
  maxFutureSkewMs?: number;
  /** Rows per transaction; default 5,000. */
  batchRows?: number;
  /** Shared with an ingester to save a load; otherwise one is loaded for the import. */
  registry?: DeviceRegistry;
}

export interface CsvImportResult {
  /** Data rows read (the header not counted). */
  rows: number;
  /** Readings newly stored. */
  stored: number;
  /** Valid readings that were already stored (an earlier import, or the same row twice). */
  duplicates: number;
  deadLetters: Partial<Record<RejectionCode, number>>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function reject(code: RejectionCode, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code, message } };
}

/** One CSV row → a decoded reading, with the same reason codes as MQTT payloads. */
export function decodeCsvRow(
  fields: readonly string[],
  now: number,
  maxFutureSkewMs = DEFAULT_MAX_FUTURE_SKEW_MS,
): Decoded<{ device: string; reading: DecodedReading }> {
  if (fields.length < 4 || fields.length > 5)
    return reject(
      "SCHEMA",
      `expected device,metric,time,value[,unit], got ${fields.length} fields`,
    );
  const [device, metric, timeText, valueText, unit] = fields as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (!device) return reject("SCHEMA", "device is empty");
  if (!metric) return reject("SCHEMA", "metric is empty");
  if (!timeText) return reject("SCHEMA", "time is empty");
  if (NON_FINITE.test(valueText)) return reject("NOT_FINITE", `value is ${valueText}`);
  if (!NUMBER.test(valueText))
    return reject("SCHEMA", `value ${JSON.stringify(valueText)} is not a number`);
  const value = Number(valueText);
  if (!Number.isFinite(value)) return reject("NOT_FINITE", `value ${valueText} overflows a double`);
  const time = parseTimestamp(/^\d+$/.test(timeText) ? Number(timeText) : timeText);
  if (time === undefined)
    return reject(
      "SCHEMA",
      `time ${JSON.stringify(timeText)} is not an ISO-8601 date-time with offset or epoch milliseconds in range`,
    );
  if (time > now + maxFutureSkewMs)
    return reject("FUTURE_TIMESTAMP", `time ${new Date(time).toISOString()} is in the future`);
  return { ok: true, value: { device, reading: { metric, value, unit: unit || undefined, time } } };
}

export async function importReadingsCsv(options: CsvImportOptions): Promise<CsvImportResult> {
  const name =
    options.name ?? (typeof options.input === "string" ? basename(options.input) : "stream");
  const source = `csv:${name}`;
  const batchRows = options.batchRows ?? 5000;
  const registry = options.registry ?? new DeviceRegistry(options.pool);
  if (!options.registry) await registry.load();
  // One submission per flush, so each flush's insert count is this import's.
  const writer = new ReadingWriter(options.pool, { maxRows: batchRows, concurrency: 1 });
  const result: CsvImportResult = { rows: 0, stored: 0, duplicates: 0, deadLetters: {} };
  const refreshedFor = new Set<string>();
  const inFlight = new Set<Promise<void>>();

  let readings: ResolvedReading[] = [];
  let deadLetters: DeadLetterInput[] = [];
  const submit = async () => {
    if (readings.length === 0 && deadLetters.length === 0) return;
    const r = readings;
    const d = deadLetters;
    readings = [];
    deadLetters = [];
    const p = writer.submit(r, d).then(({ flush }) => {
      result.stored += flush.inserted;
      result.duplicates += r.length - flush.inserted;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    // Bounded memory: read ahead at most two batches.
    while (inFlight.size >= 2) await Promise.race(inFlight);
  };
  const deadLetter = (line: number, raw: string, rejection: Rejection) => {
    result.deadLetters[rejection.code] = (result.deadLetters[rejection.code] ?? 0) + 1;
    deadLetters.push({
      source,
      topic: null,
      payload: raw,
      reason: formatReason({ code: rejection.code, message: `line ${line}: ${rejection.message}` }),
    });
  };

  const input = typeof options.input === "string" ? createReadStream(options.input) : options.input;
  const parser = input.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      raw: true,
      info: true,
      bom: true,
    }),
  );
  let first = true;
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>) {
      const fields = record.record;
      const line = record.info.lines;
      const raw = record.raw.replace(/[\r\n]+$/, "");
      if (first) {
        first = false;
        if (fields[0]?.toLowerCase() === "device" && fields[1]?.toLowerCase() === "metric")
          continue;
      }
      result.rows++;
      const decoded = decodeCsvRow(fields, Date.now(), options.maxFutureSkewMs);
      if (!decoded.ok) {
        deadLetter(line, raw, decoded.rejection);
      } else {
        const { device, reading } = decoded.value;
        let resolved = resolveReadings(device, [reading], registry);
        if (
          !resolved.ok &&
          !refreshedFor.has(`${device}\0${reading.metric}`) &&
          (resolved.rejection.code === "UNKNOWN_DEVICE" ||
            resolved.rejection.code === "UNKNOWN_METRIC")
        ) {
          refreshedFor.add(`${device}\0${reading.metric}`);
          await registry.refreshAfterMiss();
          resolved = resolveReadings(device, [reading], registry);
        }
        if (resolved.ok) readings.push(resolved.value[0]!);
        else deadLetter(line, raw, resolved.rejection);
      }
      if (readings.length + deadLetters.length >= batchRows) await submit();
    }
    await submit();
    await Promise.all(inFlight);
  } finally {
    await writer.close().catch(() => {});
  }
  return result;
}
