// The telemetry wire format: topic `gridfill/<deviceName>/telemetry`, JSON payload with one or
// more readings. Decoding is split in two steps so that the pure part (JSON + schema + timestamps)
// needs no database, and the registry step (device, metric, unit) can be retried after a refresh.
import { z } from "zod";

export const TELEMETRY_TOPIC_PREFIX = "gridfill/";
export const TELEMETRY_TOPIC_SUFFIX = "/telemetry";
/** The subscription that covers every device. */
export const TELEMETRY_TOPIC_FILTER = "gridfill/+/telemetry";

/** Why a message (or CSV row) was not ingested. Stored as the prefix of `DeadLetter.reason`. */
export type RejectionCode =
  | "NOT_JSON"
  | "SCHEMA"
  | "NOT_FINITE"
  | "FUTURE_TIMESTAMP"
  | "UNKNOWN_DEVICE"
  | "UNKNOWN_METRIC"
  | "WRONG_UNIT"
  | "OUT_OF_RANGE"
  | "BAD_TOPIC"
  | "TOO_LARGE"
  | "WRITE_FAILED";

export const REJECTION_CODES: readonly RejectionCode[] = [
  "NOT_JSON",
  "SCHEMA",
  "NOT_FINITE",
  "FUTURE_TIMESTAMP",
  "UNKNOWN_DEVICE",
  "UNKNOWN_METRIC",
  "WRONG_UNIT",
  "OUT_OF_RANGE",
  "BAD_TOPIC",
  "TOO_LARGE",
  "WRITE_FAILED",
];

export interface Rejection {
  code: RejectionCode;
  message: string;
}

/** `CODE: message`, the form kept in `DeadLetter.reason` (group by `split_part(reason, ':', 1)`). */
export function formatReason(rejection: Rejection): string {
  return `${rejection.code}: ${rejection.message}`;
}

/** A reading after the pure checks, still naming its metric. */
export interface DecodedReading {
  metric: string;
  value: number;
  unit: string | undefined;
  /** Epoch milliseconds. */
  time: number;
}

/** A reading ready for the Reading table. */
export interface ResolvedReading {
  deviceId: string;
  metricId: number;
  /** Epoch milliseconds (the column keeps millisecond precision). */
  time: number;
  value: number;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export interface DecodeOptions {
  /** Default time for readings that carry none (epoch ms). */
  receivedAt: number;
  /** How far ahead of `receivedAt` a timestamp may be; default 5 minutes. */
  maxFutureSkewMs?: number;
  /** Larger payloads are rejected before parsing; default 1 MiB. */
  maxPayloadBytes?: number;
}

export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60_000;
export const DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

// Earliest and latest accepted instants: the column is timestamptz(3), and a clock that says 1970
// or year 10000 is broken rather than historical.
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// ISO-8601 date-time with an explicit offset; a local time without zone would be ambiguous.
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

const timeSchema = z.union([z.string(), z.number()]);
// Any JSON number, finite or not: infinity is reported as NOT_FINITE rather than SCHEMA, and
// zod's z.number() would refuse it.
const valueSchema = z.custom<number>((v) => typeof v === "number", {
  message: "value must be a JSON number",
});

const readingSchema = z.object({
  metric: z.string().min(1, "metric must be a non-empty string"),
  value: valueSchema,
  unit: z.string().optional(),
  time: timeSchema.optional(),
});

// The documented form; a payload without `readings` is read as the single-reading shorthand.
const messageSchema = z.object({
  time: timeSchema.optional(),
  readings: z.array(readingSchema).min(1, "readings must not be empty"),
});

function reject(code: RejectionCode, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { code, message } };
}

/** Parses an ISO-8601 string or epoch milliseconds; undefined when neither. */
export function parseTimestamp(input: string | number): number | undefined {
  let ms: number;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return undefined;
    ms = Math.trunc(input);
  } else {
    if (!ISO_DATE_TIME.test(input)) return undefined;
    ms = Date.parse(input);
    if (Number.isNaN(ms)) return undefined;
  }
  return ms >= MIN_TIME && ms <= MAX_TIME ? ms : undefined;
}

/**
 * The device named by `[prefix]gridfill/<deviceName>/telemetry`, or a BAD_TOPIC rejection. The
 * optional prefix lets several installations (or test runs) share one broker.
 */
export function deviceFromTopic(topic: string, prefix = ""): Decoded<string> {
  const head = prefix + TELEMETRY_TOPIC_PREFIX;
  const bad = () =>
    reject("BAD_TOPIC", `topic "${topic}" is not ${head}<device>${TELEMETRY_TOPIC_SUFFIX}`);
  if (!topic.startsWith(head) || !topic.endsWith(TELEMETRY_TOPIC_SUFFIX)) return bad();
  const device = topic.slice(head.length, topic.length - TELEMETRY_TOPIC_SUFFIX.length);
  if (!device || device.includes("/")) return bad();
  return { ok: true, value: device };
}

/** The topic a device publishes to. */
export function telemetryTopic(deviceName: string, prefix = ""): string {
  return `${prefix}${TELEMETRY_TOPIC_PREFIX}${deviceName}${TELEMETRY_TOPIC_SUFFIX}`;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "payload does not match the telemetry schema";
  const path = issue.path.length ? issue.path.join(".") : "payload";
  return `${path}: ${issue.message}`;
}

/**
 * The pure checks: JSON, schema, finite values and timestamps. A message is all or nothing:
 * the first bad reading rejects it whole, so a dead letter always holds a complete message.
 */
export function decodeTelemetry(
  payload: Uint8Array | string,
  options: DecodeOptions,
): Decoded<DecodedReading[]> {
  const maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > maxBytes)
    return reject("TOO_LARGE", `payload is ${size} bytes, the limit is ${maxBytes}`);
  const text =
    typeof payload === "string"
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return reject("NOT_JSON", `payload is not JSON (${(error as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return reject("SCHEMA", "payload must be a JSON object with readings, or a single reading");
  }
  const batched = "readings" in json;
  const parsed = batched ? messageSchema.safeParse(json) : readingSchema.safeParse(json);
  if (!parsed.success) return reject("SCHEMA", describeIssue(parsed.error));
  const list = "readings" in parsed.data ? parsed.data.readings : [parsed.data];
  const messageTime = "readings" in parsed.data ? parsed.data.time : undefined;

  const maxSkew = options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  let defaultTime = options.receivedAt;
  if (messageTime !== undefined) {
    const t = parseTimestamp(messageTime);
    if (t === undefined)
      return reject(
        "SCHEMA",
        `time: ${JSON.stringify(messageTime)} is not an ISO-8601 date-time with offset or epoch milliseconds in range`,
      );
    defaultTime = t;
  }

  const out: DecodedReading[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    const where = batched ? `readings.${i}` : "reading";
    if (!Number.isFinite(r.value)) return reject("NOT_FINITE", `${where}.value is ${r.value}`);
    let time = defaultTime;
    if (r.time !== undefined) {
      const t = parseTimestamp(r.time);
      if (t === undefined)
        return reject(
          "SCHEMA",
          `${where}.time: ${JSON.stringify(r.time)} is not an ISO-8601 date-time with offset or epoch milliseconds in range`,
        );
      time = t;
    }
    if (time > options.receivedAt + maxSkew) {
      return reject(
        "FUTURE_TIMESTAMP",
        `${where}.time ${new Date(time).toISOString()} is more than ${maxSkew} ms ahead of ${new Date(options.receivedAt).toISOString()}`,
      );
    }
    out.push({ metric: r.metric, value: r.value, unit: r.unit, time });
  }
  return { ok: true, value: out };
}

/** A registered metric: its unit and, when set, its plausible range (inclusive). */
export interface RegisteredMetric {
  id: number;
  unit: string;
  minValue?: number | null;
  maxValue?: number | null;
}

/** What the registry knows: devices and metrics by name. */
export interface RegistryView {
  device(name: string): { id: string } | undefined;
  metric(name: string): RegisteredMetric | undefined;
}

/** A value outside the metric's plausible range (a broken or spoofed sensor), else undefined. */
function implausible(metric: RegisteredMetric, value: number): string | undefined {
  if (metric.minValue != null && value < metric.minValue) return `below ${metric.minValue}`;
  if (metric.maxValue != null && value > metric.maxValue) return `above ${metric.maxValue}`;
  return undefined;
}

/** The registry step: device, metrics and units. Sync, so it can run again after a refresh. */
export function resolveReadings(
  deviceName: string,
  readings: readonly DecodedReading[],
  registry: RegistryView,
): Decoded<ResolvedReading[]> {
  const device = registry.device(deviceName);
  if (!device) return reject("UNKNOWN_DEVICE", `device "${deviceName}" is not registered`);
  const out: ResolvedReading[] = new Array(readings.length);
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    const metric = registry.metric(r.metric);
    if (!metric) return reject("UNKNOWN_METRIC", `metric "${r.metric}" is not registered`);
    if (r.unit !== undefined && r.unit !== metric.unit) {
      return reject(
        "WRONG_UNIT",
        `metric "${r.metric}" is measured in "${metric.unit}", got "${r.unit}"`,
      );
    }
    const outside = implausible(metric, r.value);
    if (outside) return reject("OUT_OF_RANGE", `${r.metric} ${r.value} is ${outside}`);
    out[i] = { deviceId: device.id, metricId: metric.id, time: r.time, value: r.value };
  }
  return { ok: true, value: out };
}
