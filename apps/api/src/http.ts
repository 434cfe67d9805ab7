// The API's HTTP routes on Express 5: a request id and latency metric on every request,
// /healthz and /readyz, /metrics, and GraphQL by POST only with a 1 MB body limit.
import { randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Express, type Request } from "express";
import cookieParser from "cookie-parser";
import type { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import type { Registry } from "prom-client";
import { SESSION_COOKIE, resolveCaller } from "@gridfill/core/auth/service.ts";
import type { Logger } from "@gridfill/core/log.ts";
import type { ApiContext, ApiDeps, Caller } from "./context.ts";
import { healthRoutes } from "./health/routes.ts";
import { metricsAccess, type ApiMetrics } from "./metrics.ts";

export function bearerOf(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

const ROUTES = new Set(["/graphql", "/healthz", "/readyz", "/metrics"]);

export interface HttpRoutesOptions {
  app: Express;
  apollo: ApolloServer<ApiContext>;
  deps: ApiDeps;
  log: Logger;
  metrics: ApiMetrics;
  /** What /metrics serves: the API's registry merged with any in-process ones. */
  exposed: Registry;
  contextFor(caller: Caller | null, requestId: string, extra: Partial<ApiContext>): ApiContext;
}

export function mountHttpRoutes(options: HttpRoutesOptions): void {
  const { app, apollo, deps, log, metrics, exposed, contextFor } = options;
  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("x-request-id", requestId);
    const end = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      end({
        method: req.method,
        route: ROUTES.has(req.path) ? req.path : "other",
        status: String(res.statusCode),
      });
    });
    next();
  });
  app.use(healthRoutes(deps));
  app.get("/metrics", metricsAccess(deps.config.metricsToken), async (_req, res) => {
    res.setHeader("content-type", exposed.contentType);
    res.send(await exposed.metrics());
  });
  // Operations travel by POST only: no GET queries (no CSRF-able, cacheable, loggable query strings).
  app.all("/graphql", (req, res, next) => {
    if (req.method === "POST") return next();
    res.setHeader("allow", "POST");
    res.status(405).json({
      errors: [
        { message: "use POST for GraphQL requests", extensions: { code: "METHOD_NOT_ALLOWED" } },
      ],
    });
  });
  app.post(
    "/graphql",
    cookieParser(),
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const caller = await resolveCaller(deps, {
          bearer: bearerOf(req.headers.authorization),
          sessionCookie: (req as Request & { cookies?: Record<string, string> }).cookies?.[
            SESSION_COOKIE
          ],
        });
        return contextFor(caller, res.locals.requestId as string, {
          res,
          clientAddress: req.ip ?? "",
        });
      },
    }),
  );
  app.use(bodyErrors(log));
}

function bodyErrors(log: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 500;
    if (status === 413)
      return res.status(413).json({
        errors: [
          {
            message: "request body too large (1 MB at most)",
            extensions: { code: "BAD_REQUEST" },
          },
        ],
      });
    if (status >= 400 && status < 500)
      return res
        .status(status)
        .json({ errors: [{ message: "malformed request", extensions: { code: "BAD_REQUEST" } }] });
    log.error("unhandled HTTP error", { requestId: res.locals.requestId, error });
    res.status(500).json({
      errors: [
        {
          message: "internal error",
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId: res.locals.requestId },
        },
      ],
    });
  };
}
