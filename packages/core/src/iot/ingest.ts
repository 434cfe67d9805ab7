// The GraphQL ingest path, which reuses the MQTT ingester's checks row by row.
import type { PrismaClient } from "@gridfill/db";
import {
  DEFAULT_MAX_FUTURE_SKEW_MS,
  decodeTelemetry,
  formatReason,
  resolveReadings,
} from "@gridfill/iot";
import type { RegistryView } from "@gridfill/iot";
import type { Actor } from "../context.ts";
import { badInput } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";

export const MAX_INGEST_BATCH = 10_000;

export interface ReadingRow {
  device: string;
  metric: string;
  time: string;
  value: number;
  unit?: string | null;
}

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejections: { index: number; code: string; message: string }[];
}

async function loadRegistry(
  prisma: PrismaClient,
  rows: readonly ReadingRow[],
): Promise<RegistryView> {
  const [devices, metrics] = await Promise.all([
    prisma.device.findMany({
      where: { name: { in: [...new Set(rows.map((r) => r.device))] } },
      select: { id: true, name: true },
    }),
    prisma.metric.findMany({ where: { name: { in: [...new Set(rows.map((r) => r.metric))] } } }),
  ]);
  const d = new Map(devices.map((x) => [x.name, { id: x.id }]));
  const m = new Map(metrics.map((x) => [x.name, x]));
  return { device: (name) => d.get(name), metric: (name) => m.get(name) };
}

/**
 * Each row is checked as a single-reading MQTT payload (decodeTelemetry, then resolveReadings), so
 * the reasons match the ingester's. Unlike an MQTT message, rows stand alone: one bad row does not
 * reject its neighbours. Readings, dead letters and the audit event commit together.
 */
export async function ingestReadings(
  prisma: PrismaClient,
  actor: Actor,
  batch: readonly ReadingRow[],
): Promise<IngestResult> {
  if (batch.length > MAX_INGEST_BATCH)
    throw badInput(`a batch holds at most ${MAX_INGEST_BATCH} readings`, { max: MAX_INGEST_BATCH });
  const receivedAt = Date.now();
  const registry = await loadRegistry(prisma, batch);
  const good: { deviceId: string; metricId: number; time: string; value: number }[] = [];
  const rejections: IngestResult["rejections"] = [];
  const deadLetters: { payload: string; reason: string }[] = [];
  for (const [index, row] of batch.entries()) {
    // An all-digit time is epoch milliseconds, as in MQTT payloads.
    const time: string | number = /^\d+$/.test(row.time) ? Number(row.time) : row.time;
    const payload = JSON.stringify({
      metric: row.metric,
      value: row.value,
      time,
      ...(row.unit != null ? { unit: row.unit } : {}),
    });
    const decoded = decodeTelemetry(payload, {
      receivedAt,
      maxFutureSkewMs: DEFAULT_MAX_FUTURE_SKEW_MS,
    });
    const resolved = decoded.ok ? resolveReadings(row.device, decoded.value, registry) : decoded;
    if (!resolved.ok) {
      rejections.push({ index, ...resolved.rejection });
      deadLetters.push({
        payload: JSON.stringify({ device: row.device, ...JSON.parse(payload) }),
        reason: formatReason({
          code: resolved.rejection.code,
          message: `row ${index}: ${resolved.rejection.message}`,
        }),
      });
      continue;
    }
    for (const r of resolved.value)
      good.push({
        deviceId: r.deviceId,
        metricId: r.metricId,
        time: new Date(r.time).toISOString(),
        value: r.value,
      });
  }
  const stored = await prisma.$transaction(async (tx) => {
    let inserted = 0;
    if (good.length) {
      inserted = await tx.$executeRaw`
        INSERT INTO "Reading" ("deviceId", "metricId", "time", value)
        SELECT * FROM unnest(${good.map((g) => g.deviceId)}::uuid[], ${good.map((g) => g.metricId)}::int[],
                             ${good.map((g) => g.time)}::timestamptz[], ${good.map((g) => g.value)}::float8[])
        ON CONFLICT DO NOTHING`;
    }
    if (deadLetters.length) {
      await tx.deadLetter.createMany({
        data: deadLetters.map((d) => ({
          source: "graphql",
          topic: null,
          payload: d.payload,
          reason: d.reason,
        })),
      });
    }
    await recordAudit(tx, {
      actor,
      action: "readings.ingest",
      entityType: "Reading",
      details: { received: batch.length, stored: inserted, rejected: rejections.length },
    });
    return inserted;
  });
  return {
    received: batch.length,
    stored,
    duplicates: good.length - stored,
    rejected: rejections.length,
    rejections,
  };
}
