// What runs between parsing and execution of every operation, over HTTP and WebSocket alike:
// the access check (@auth / @public on root fields) and the cost limit. Nothing executes unless
// both pass.
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Caller } from "./context.ts";
import type { ApiContext } from "./context.ts";
import { accessRules, assertOperationAllowed } from "./auth/access.ts";
import { operationCost } from "./cost.ts";
import { requestError } from "./errors.ts";

export interface GuardOptions {
  maxQueryCost: number;
  maxPageSize: number;
}

export function createGuard(schema: GraphQLSchema, options: GuardOptions) {
  const rules = accessRules(schema);
  return function guard(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
    caller: Caller | null,
  ): void {
    assertOperationAllowed(schema, rules, document, operation, caller);
    const cost = operationCost(schema, document, operation, variables, options.maxPageSize);
    if (cost > options.maxQueryCost) {
      throw requestError(
        "GRAPHQL_VALIDATION_FAILED",
        `query cost ${cost} exceeds the limit of ${options.maxQueryCost}; ask for smaller pages or fewer fields`,
      );
    }
  };
}

export type Guard = ReturnType<typeof createGuard>;

export function guardPlugin(guard: Guard): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          guard(document, operation, request.variables, contextValue.caller);
        },
      };
    },
  };
}
