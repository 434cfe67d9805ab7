// The Apollo Server of the API: query protection (depth, aliases, tokens, field suggestions,
// introspection), the access and cost guard, metrics, masked errors with a request id, and
// draining on stop.
import type { Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import type { Config } from "@gridfill/config";
import type { Logger } from "@gridfill/core/log.ts";
import type { ApiContext } from "./context.ts";
import { formatError, isExpectedError } from "./errors.ts";
import { guardPlugin, type Guard } from "./guard.ts";
import type { ApiMetrics } from "./metrics.ts";

export const MAX_TOKENS = 5000;
const MAX_ALIASES = 30;
const MAX_DIRECTIVES = 50;

/** graphql-armor's rules and plugins, shared by HTTP and WebSocket. */
export function queryProtection(config: Config) {
  const protection = new ApolloArmor({
    maxDepth: { n: config.maxQueryDepth, flattenFragments: true },
    maxAliases: { n: MAX_ALIASES },
    maxDirectives: { n: MAX_DIRECTIVES },
    maxTokens: { n: MAX_TOKENS },
    // Our own cost rule (guard.ts) prices @cost weights and page sizes; armor's does not.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    validationRules: protection.validationRules as ValidationRule[],
    plugins: protection.plugins as ApolloServerPlugin<ApiContext>[],
    introspection: config.introspection,
  };
}

export type QueryProtection = ReturnType<typeof queryProtection>;

/** Every rule an operation must pass: GraphQL's own and the protection's. */
export function allValidationRules(protection: QueryProtection): ValidationRule[] {
  return [
    ...specifiedRules,
    ...protection.validationRules,
    ...(protection.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
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

export interface ApolloOptions {
  schema: GraphQLSchema;
  guard: Guard;
  protection: QueryProtection;
  metrics: ApiMetrics;
  log: Logger;
  httpServer: Server;
  /** Runs when Apollo drains (the WebSocket server's cleanup). */
  onDrain: () => Promise<void>;
}

export async function startApollo(options: ApolloOptions): Promise<ApolloServer<ApiContext>> {
  const { schema, guard, protection, metrics, log, httpServer, onDrain } = options;
  const apollo = new ApolloServer<ApiContext>({
    schema,
    csrfPrevention: true,
    // The process that embeds the API owns shutdown (gridfill start stops every part in order).
    stopOnTerminationSignals: false,
    // The schema is the contract, but anonymous callers need not read it off a production server.
    introspection: protection.introspection,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      guardPlugin(guard),
      metricsPlugin(metrics),
      errorReportPlugin(log),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Responses are per user and never HTTP-cached; the default cache-control plugin would
      // still hook every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return { drainServer: onDrain };
        },
      },
    ],
  });
  await apollo.start();
  return apollo;
}
