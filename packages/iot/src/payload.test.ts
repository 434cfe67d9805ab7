import { test } from "node:test";
import assert from "node:assert/strict";
import {
  decodeTelemetry,
  deviceFromTopic,
  parseTimestamp,
  resolveReadings,
  telemetryTopic,
} from "./payload.ts";
import type { RegistryView, RejectionCode } from "./payload.ts";
import { decodeCsvRow } from "./csv.ts";

const now = Date.parse("2026-03-01T12:00:00Z");
const registry: RegistryView = {
  device: (name) =>
    name === "tower-7-sensor" ? { id: "0190f0a0-0000-7000-8000-000000000001" } : undefined,
  metric: (name) => ({ humidity: { id: 1, unit: "%" }, temperature: { id: 2, unit: "°C" } })[name],
};

function codeOf(
  payload: string,
  options: { maxFutureSkewMs?: number; maxPayloadBytes?: number } = {},
): RejectionCode | "ok" {
  const decoded = decodeTelemetry(payload, { receivedAt: now, ...options });
  if (!decoded.ok) return decoded.rejection.code;
  const resolved = resolveReadings("tower-7-sensor", decoded.value, registry);
  return resolved.ok ? "ok" : resolved.rejection.code;
}

test("a message with several readings decodes, taking the message time where a reading has none", () => {
  const decoded = decodeTelemetry(
    JSON.stringify({
      time: "2026-03-01T11:59:00Z",
      readings: [
        { metric: "humidity", value: 71.5, unit: "%" },
        { metric: "temperature", value: -3, unit: "°C", time: 1772366300000 },
      ],
    }),
    { receivedAt: now },
  );
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, [
    { metric: "humidity", value: 71.5, unit: "%", time: Date.parse("2026-03-01T11:59:00Z") },
    { metric: "temperature", value: -3, unit: "°C", time: 1772366300000 },
  ]);
  const resolved = resolveReadings("tower-7-sensor", decoded.value, registry);
  assert.ok(resolved.ok);
  assert.deepEqual(
    resolved.value.map((r) => r.metricId),
    [1, 2],
  );
});

test("the single-reading shorthand defaults its time to the receive time, and the unit may be left out", () => {
  const decoded = decodeTelemetry(Buffer.from('{"metric":"humidity","value":64}'), {
    receivedAt: now,
  });
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.value, [{ metric: "humidity", value: 64, unit: undefined, time: now }]);
});

test("every rejection has its reason code", () => {
  const cases: Array<[string, RejectionCode]> = [
    ["{not json", "NOT_JSON"],
    ["", "NOT_JSON"],
    ["[1,2]", "SCHEMA"],
    ['"humidity"', "SCHEMA"],
    ['{"readings":[]}', "SCHEMA"],
    ['{"readings":[{"value":1}]}', "SCHEMA"],
    ['{"metric":"humidity"}', "SCHEMA"],
    ['{"metric":"humidity","value":"71.5"}', "SCHEMA"],
    ['{"metric":"humidity","value":"NaN"}', "SCHEMA"],
    ['{"metric":"humidity","value":null}', "SCHEMA"],
    ['{"metric":"humidity","value":1,"time":"yesterday"}', "SCHEMA"],
    ['{"metric":"humidity","value":1,"time":"2026-03-01T11:00:00"}', "SCHEMA"], // no offset
    ['{"metric":"humidity","value":1,"time":-5}', "SCHEMA"], // before 1970
    ['{"metric":"humidity","value":1e999}', "NOT_FINITE"],
    [
      '{"readings":[{"metric":"humidity","value":1},{"metric":"humidity","value":-1e400}]}',
      "NOT_FINITE",
    ],
    ['{"metric":"humidity","value":1,"time":"2026-03-01T12:06:00Z"}', "FUTURE_TIMESTAMP"],
    [
      `{"time":${now + 3_600_000},"readings":[{"metric":"humidity","value":1}]}`,
      "FUTURE_TIMESTAMP",
    ],
    ['{"metric":"pressure","value":1013}', "UNKNOWN_METRIC"],
    ['{"metric":"humidity","value":71,"unit":"percent"}', "WRONG_UNIT"],
  ];
  for (const [payload, code] of cases) assert.equal(codeOf(payload), code, payload);

  const unknown = resolveReadings(
    "tower-99",
    [{ metric: "humidity", value: 1, unit: undefined, time: now }],
    registry,
  );
  assert.ok(!unknown.ok);
  assert.equal(unknown.rejection.code, "UNKNOWN_DEVICE");
  assert.match(unknown.rejection.message, /tower-99/);

  assert.equal(codeOf('{"metric":"humidity","value":1}', { maxPayloadBytes: 10 }), "TOO_LARGE");
  const topic = deviceFromTopic("gridfill/a/b/telemetry");
  assert.ok(!topic.ok);
  assert.equal(topic.rejection.code, "BAD_TOPIC");
});

test("the future skew is configurable", () => {
  const payload = '{"metric":"humidity","value":1,"time":"2026-03-01T12:06:00Z"}';
  assert.equal(codeOf(payload, { maxFutureSkewMs: 10 * 60_000 }), "ok");
  assert.equal(codeOf(payload, { maxFutureSkewMs: 0 }), "FUTURE_TIMESTAMP");
});

test("rejection messages point at the offending field", () => {
  const decoded = decodeTelemetry(
    '{"readings":[{"metric":"humidity","value":1},{"metric":"humidity"}]}',
    { receivedAt: now },
  );
  assert.ok(!decoded.ok);
  assert.match(decoded.rejection.message, /readings\.1\.value/);
});

test("topics and timestamps", () => {
  assert.equal(telemetryTopic("tower-7-sensor"), "gridfill/tower-7-sensor/telemetry");
  assert.deepEqual(deviceFromTopic("gridfill/tower-7-sensor/telemetry"), {
    ok: true,
    value: "tower-7-sensor",
  });
  assert.equal(
    parseTimestamp("2026-03-01T12:00:00.123+02:00"),
    Date.parse("2026-03-01T10:00:00.123Z"),
  );
  assert.equal(parseTimestamp(1772366400000.9), 1772366400000);
  assert.equal(parseTimestamp("March 1, 2026"), undefined);
});

test("CSV rows use the same reason codes", () => {
  const row = (line: string) => {
    const decoded = decodeCsvRow(line.split(","), now);
    return decoded.ok ? "ok" : decoded.rejection.code;
  };
  assert.equal(row("tower-7-sensor,humidity,2026-03-01T10:00:00Z,71.5,%"), "ok");
  assert.equal(row("tower-7-sensor,humidity,1772359200000,71.5"), "ok");
  assert.equal(row("tower-7-sensor,humidity,2026-03-01T10:00:00Z,NaN"), "NOT_FINITE");
  assert.equal(row("tower-7-sensor,humidity,2026-03-01T10:00:00Z,1e999"), "NOT_FINITE");
  assert.equal(row("tower-7-sensor,humidity,2026-03-01T10:00:00Z,wet"), "SCHEMA");
  assert.equal(row("tower-7-sensor,humidity,2026-03-01T10:00:00Z"), "SCHEMA");
  assert.equal(row("tower-7-sensor,humidity,2027-01-01T00:00:00Z,1"), "FUTURE_TIMESTAMP");
});
