// The API process, composed: Express 5 + Apollo Server 5 at POST /graphql (http.ts, apollo.ts),
// graphql-ws on the same server and path (ws.ts), /healthz, /readyz and /metrics beside them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { Registry } from "prom-client";
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { LoginLimiter } from "@gridfill/core/auth/login-limiter.ts";
import { createLogger, type Logger } from "@gridfill/core/log.ts";
import type { JobQueue } from "@gridfill/core/jobs/queues.ts";
import type { ApiContext, ApiDeps, Caller } from "./context.ts";
import { queryProtection, startApollo } from "./apollo.ts";
import { createGuard } from "./guard.ts";
import { mountHttpRoutes } from "./http.ts";
import { createLoaders } from "./loaders.ts";
import { createMetrics } from "./metrics.ts";
import { buildSchema } from "./schema.ts";
import { serveSubscriptions } from "./ws.ts";

export { buildSchema };

export interface StartApiOptions {
  config: Config;
  prisma: PrismaClient;
  pool?: Pool;
  storage: Storage;
  log?: Logger;
  /** The job runner (startJobs); without it, imports and exports cannot start. */
  jobs?: JobQueue;
  /** Served on /metrics beside the API's own (the telemetry ingester's, when it runs in-process). */
  extraRegistries?: Registry[];
}

export interface RunningApi {
  /** Base URL, e.g. http://127.0.0.1:4000 (GraphQL at `${url}/graphql`). */
  url: string;
  port: number;
  httpServer: Server;
  close(): Promise<void>;
}

const SWEEP_MS = 10 * 60_000;

function listen(httpServer: Server, config: Config): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
}

function baseUrl(httpServer: Server, config: Config): { url: string; port: number } {
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(":")
    ? `[${config.host}]`
    : config.host === "0.0.0.0"
      ? "127.0.0.1"
      : config.host;
  return { url: `http://${host}:${port}`, port };
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { config, prisma, pool, storage } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const deps: ApiDeps = {
    config,
    prisma,
    ...(pool ? { pool } : {}),
    storage,
    log,
    ...(options.jobs ? { jobs: options.jobs } : {}),
  };
  const schema = buildSchema();
  const guard = createGuard(schema, {
    maxQueryCost: config.maxQueryCost,
    maxPageSize: config.maxPageSize,
  });
  const metrics = createMetrics();
  const loginLimiter = new LoginLimiter(deps);
  const protection = queryProtection(config);
  const contextFor = (
    caller: Caller | null,
    requestId: string,
    extra: Partial<ApiContext> = {},
  ): ApiContext => ({
    ...deps,
    caller,
    requestId,
    loaders: createLoaders(prisma, pool),
    loginLimiter,
    ...extra,
  });

  const app = express();
  app.disable("x-powered-by");
  // The client's address (the login limiter counts by it) comes from X-Forwarded-For only when a
  // trusted proxy, such as the console, sent it; anyone else could make it up.
  app.set("trust proxy", config.trustedProxies);
  const httpServer = createServer(app);
  const subscriptions = serveSubscriptions({
    httpServer,
    schema,
    guard,
    protection,
    deps,
    log,
    contextFor,
  });
  const apollo = await startApollo({
    schema,
    guard,
    protection,
    metrics,
    log,
    httpServer,
    onDrain: () => subscriptions.dispose(),
  });
  mountHttpRoutes({
    app,
    apollo,
    deps,
    log,
    metrics,
    exposed: options.extraRegistries?.length
      ? Registry.merge([metrics.registry, ...options.extraRegistries])
      : metrics.registry,
    contextFor,
  });

  await listen(httpServer, config);
  const { url, port } = baseUrl(httpServer, config);
  log.info("API listening", { url: `${url}/graphql` });

  const sweeper = setInterval(() => {
    loginLimiter.prune().catch((error) => log.warn("login limiter prune failed", { error }));
  }, SWEEP_MS);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    httpServer,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        await apollo.stop();
        await subscriptions.close();
        if (httpServer.listening)
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
