// Prometheus metrics of one API instance: process defaults, HTTP latency, GraphQL operations.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ApiMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  operations: Counter<"operation" | "type" | "outcome">;
  /** Bounded label: operation names are chosen by clients. */
  operationLabel(name: string | null | undefined): string;
}

const MAX_OPERATION_NAMES = 300;

export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "gridfill_http_request_duration_seconds",
    help: "HTTP request duration by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: "gridfill_graphql_operations_total",
    help: "GraphQL operations by name, type and outcome",
    labelNames: ["operation", "type", "outcome"] as const,
    registers: [registry],
  });
  const seen = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return "anonymous";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "other";
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return "other";
    seen.add(name);
    return name;
  };
  return { registry, httpDuration, operations, operationLabel };
}
