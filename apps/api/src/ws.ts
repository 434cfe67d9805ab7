// Subscriptions over graphql-ws on the API's HTTP server and path: the same schema, validation
// rules, access and cost guard and error masking as HTTP. Browsers send cookies with WebSocket
// handshakes from any page of the same site and no CSRF check applies to them, so a socket that
// brings the session cookie must come from a console origin, and sockets carry subscriptions only:
// queries and mutations go by POST, where CSRF prevention holds.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import { GraphQLError, getOperationAST, parse, validate, type GraphQLSchema } from "graphql";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { SESSION_COOKIE, resolveCaller } from "@gridfill/core/auth/service.ts";
import type { Logger } from "@gridfill/core/log.ts";
import type { ApiContext, ApiDeps, Caller } from "./context.ts";
import { formatError, isExpectedError } from "./errors.ts";
import type { Guard } from "./guard.ts";
import { requestError } from "./errors.ts";
import { MAX_TOKENS, allValidationRules, type QueryProtection } from "./apollo.ts";
import { bearerOf } from "./http.ts";

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  guard: Guard;
  protection: QueryProtection;
  deps: ApiDeps;
  log: Logger;
  contextFor(caller: Caller | null, requestId: string): ApiContext;
}

export interface SubscriptionServer {
  /** Ends every subscription (Apollo's drain calls it). */
  dispose(): Promise<void>;
  close(): Promise<void>;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function serveSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { httpServer, schema, guard, deps, log, contextFor } = options;
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  // The WebSocket server re-emits the HTTP server's errors (EADDRINUSE at listen); the listen
  // promise reports them, so do not let them crash the process as unhandled events.
  wsServer.on("error", () => {});
  const validationRules = allValidationRules(options.protection);
  const consoleOrigins = new Set(deps.config.consoleOrigins);
  const cleanup = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema,
      // Browsers always send Origin on a WebSocket handshake; scripts send none and no cookie.
      onConnect: (ctx) => {
        const { origin, cookie } = ctx.extra.request.headers;
        const bringsSession = cookieValue(cookie, SESSION_COOKIE) !== undefined;
        return !bringsSession || origin === undefined || consoleOrigins.has(origin);
      },
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
        if (operation.operation !== "subscription")
          return [
            requestError(
              "BAD_USER_INPUT",
              "only subscriptions travel over WebSocket; send queries and mutations by POST /graphql",
            ),
          ];
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
  return {
    dispose: () => Promise.resolve(cleanup.dispose()),
    close: () => new Promise<void>((resolve) => wsServer.close(() => resolve())),
  };
}
