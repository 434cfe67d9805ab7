// The API process: Express 5 + Apollo Server 5 at POST /graphql, graphql-ws on the same server
// and path, /healthz, /readyz and /metrics beside them.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type Request } from "express";
import cookieParser from "cookie-parser";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { ApiContext, ApiDeps, Caller } from "./context.ts";
import { SESSION_COOKIE, resolveCaller } from "@gridfill/core/auth/service.ts";
import { LoginLimiter } from "@gridfill/core/auth/login-limiter.ts";
import { formatError, isExpectedError } from "./errors.ts";
import { createGuard, guardPlugin } from "./guard.ts";
import { healthRoutes } from "./health/routes.ts";
import { createLoaders } from "./loaders.ts";
import { createLogger, type Logger } from "@gridfill/core/log.ts";
import { Registry } from "prom-client";
import { createMetrics, type ApiMetrics } from "./metrics.ts";
import { buildSchema } from "./schema.ts";
import type { JobQueue } from "@gridfill/core/jobs/queues.ts";
import { sweepExpiredUploads } from "@gridfill/core/images/uploads.ts";

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

const MAX_ALIASES = 30;
const MAX_DIRECTIVES = 50;
const MAX_TOKENS = 5000;
const UPLOAD_SWEEP_MS = 10 * 60_000;

function bearerOf(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

function metricsPlugin(metrics: ApiMetrics): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      let executed = false;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse({ operation, operationName, response, errors }) {
          const hasErrors =
            Boolean(errors?.length) ||
            (response.body.kind === "single" && Boolean(response.body.singleResult.errors?.length));
          const outcome = !hasErrors ? "ok" : executed ? "error" : "rejected";
          metrics.operations.inc({
            operation: metrics.operationLabel(operationName),
            type: operation?.operation ?? "unknown",
            outcome,
          });
        },
      };
    },
  };
}

/** Logs unexpected errors with the request id, and hands that id to the client with the masked error. */
function errorReportPlugin(log: Logger): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            if (!isExpectedError(error)) {
              log.error("internal error", {
                requestId: contextValue.requestId,
                operationName,
                path: error.path,
                error: error.originalError ?? error,
              });
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === "INTERNAL_SERVER_ERROR") {
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
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
  const loginLimiter = new LoginLimiter();

  const protection = new ApolloArmor({
    maxDepth: { n: config.maxQueryDepth, flattenFragments: true },
    maxAliases: { n: MAX_ALIASES },
    maxDirectives: { n: MAX_DIRECTIVES },
    maxTokens: { n: MAX_TOKENS },
    // Our own cost rule (guard.ts) prices @cost weights and page sizes; armor's does not.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);

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

  // Subscriptions: same schema, same access and cost checks, same validation rules.
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  // The WebSocket server re-emits the HTTP server's errors (EADDRINUSE at listen); the listen
  // promise below reports them, so do not let them crash the process as unhandled events.
  wsServer.on("error", () => {});
  const validationRules: ValidationRule[] = [
    ...specifiedRules,
    ...(protection.validationRules as ValidationRule[]),
  ];
  const wsCleanup = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema,
      // Same masking as HTTP: only domain and request errors keep their message.
      onNext: (_ctx, _id, payload, args, result) => {
        if (!result.errors?.length) return;
        const requestId = (args.contextValue as ApiContext).requestId;
        return {
          ...result,
          errors: result.errors.map((error) => {
            if (!isExpectedError(error))
              log.error("internal error", {
                requestId,
                operationName: payload.operationName,
                path: error.path,
                error: error.originalError ?? error,
              });
            const formatted = formatError(error.toJSON(), error);
            return formatted.extensions?.code === "INTERNAL_SERVER_ERROR"
              ? { ...formatted, extensions: { ...formatted.extensions, requestId } }
              : formatted;
          }),
        };
      },
      onSubscribe: async (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? error
              : new GraphQLError("could not parse the operation"),
          ];
        }
        const errors = validate(schema, document, validationRules);
        if (errors.length) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError("unknown operation")];
        const params = ctx.connectionParams ?? {};
        const authorization =
          typeof params.authorization === "string" ? params.authorization : undefined;
        const caller = await resolveCaller(deps, {
          bearer: bearerOf(authorization),
          sessionCookie: cookieValue(ctx.extra.request.headers.cookie, SESSION_COOKIE),
        });
        try {
          guard(document, operation, payload.variables ?? undefined, caller);
        } catch (error) {
          return [error as GraphQLError];
        }
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: contextFor(caller, randomUUID()),
        };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<ApiContext>({
    schema,
    csrfPrevention: true,
    // The process that embeds the API owns shutdown (gridfill start stops every part in order).
    stopOnTerminationSignals: false,
    introspection: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: protection.validationRules as ValidationRule[],
    plugins: [
      ...(protection.plugins as ApolloServerPlugin<ApiContext>[]),
      guardPlugin(guard),
      metricsPlugin(metrics),
      errorReportPlugin(log),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Responses are per user and never HTTP-cached; the default cache-control plugin would
      // still hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const ROUTES = new Set(["/graphql", "/healthz", "/readyz", "/metrics"]);
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
  const exposed = options.extraRegistries?.length
    ? Registry.merge([metrics.registry, ...options.extraRegistries])
    : metrics.registry;
  app.get("/metrics", async (_req, res) => {
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
  const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
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
  app.use(bodyErrors);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(":")
    ? `[${config.host}]`
    : config.host === "0.0.0.0"
      ? "127.0.0.1"
      : config.host;
  const url = `http://${host}:${port}`;
  log.info("API listening", { url: `${url}/graphql` });

  const sweeper = setInterval(() => {
    sweepExpiredUploads({ prisma, storage, config, log }).catch((error) =>
      log.warn("upload sweep failed", { error }),
    );
  }, UPLOAD_SWEEP_MS);
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
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        if (httpServer.listening)
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
