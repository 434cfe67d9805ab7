// The metrics readings are taken in: name, unit and the plausible range the ingester enforces.
import type { Metric, PrismaClient } from "@gridfill/db";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { isUniqueViolation } from "./checks.ts";

export const listMetrics = (prisma: PrismaClient) =>
  prisma.metric.findMany({ orderBy: { name: "asc" } });

const METRIC_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export interface MetricInput {
  name: string;
  unit: string;
  minValue?: number | null;
  maxValue?: number | null;
}

function checkRange(input: MetricInput): { minValue: number | null; maxValue: number | null } {
  const minValue = input.minValue ?? null;
  const maxValue = input.maxValue ?? null;
  for (const bound of [minValue, maxValue])
    if (bound !== null && !Number.isFinite(bound))
      throw badInput("a metric's bounds must be finite");
  if (minValue !== null && maxValue !== null && minValue > maxValue)
    throw badInput(`minValue ${minValue} is above maxValue ${maxValue}`);
  return { minValue, maxValue };
}

export async function createMetric(
  prisma: PrismaClient,
  actor: Actor,
  input: MetricInput,
): Promise<Metric> {
  const name = input.name.trim();
  if (!METRIC_NAME.test(name))
    throw badInput(
      "a metric name is lower-case letters, digits and _ (at most 64), starting with a letter",
    );
  const unit = input.unit.trim();
  if (unit.length === 0 || unit.length > 16) throw badInput("a unit is 1 to 16 characters");
  const range = checkRange(input);
  try {
    return await prisma.$transaction(async (tx) => {
      const metric = await tx.metric.create({ data: { name, unit, ...range } });
      await recordAudit(tx, {
        actor,
        action: "metric.create",
        entityType: "Metric",
        entityId: String(metric.id),
        details: { name, unit, ...range },
      });
      return metric;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a metric named "${name}" already exists`);
    throw error;
  }
}

export async function requireMetric(prisma: PrismaClient, name: string): Promise<Metric> {
  const metric = await prisma.metric.findUnique({ where: { name } });
  if (!metric) throw notFound("metric", name);
  return metric;
}
