// Prometheus metrics of one API instance: process defaults, HTTP latency, GraphQL operations; and
// who may read them (they tell an attacker the operation names, load and versions).
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { RequestHandler } from "express";
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

const sha256 = (value: string) => createHash("sha256").update(value).digest();

function isLoopback(address: string | undefined): boolean {
  if (!address || !isIP(address)) return false;
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/**
 * With a token, /metrics needs it as a bearer token. Without one, it answers only callers on this
 * machine that no proxy relayed (the console's proxy would add X-Forwarded-For): the embedded
 * default's operator, never a remote scraper.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token ? sha256(token) : undefined;
  return (req, res, next) => {
    if (expected) {
      const presented = req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
      // Hashes have one length, so the comparison takes the same time whatever was sent.
      if (presented && timingSafeEqual(sha256(presented), expected)) return next();
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      res.status(401).type("text").send("metrics need GRIDFILL_METRICS_TOKEN as a bearer token\n");
      return;
    }
    if (isLoopback(req.socket.remoteAddress) && req.headers["x-forwarded-for"] === undefined)
      return next();
    res
      .status(403)
      .type("text")
      .send("set GRIDFILL_METRICS_TOKEN to read metrics from elsewhere\n");
  };
}
