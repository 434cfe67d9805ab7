// How errors leave the API: domain errors keep their code and message, GraphQL request errors
// their code; anything else is masked as "internal error" (the request id finds it in the log).
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { DomainError, type ErrorCode } from "@gridfill/core/errors.ts";

export * from "@gridfill/core/errors.ts";

/** Codes a client may see as they are; any other error becomes "internal error". */
const PUBLIC_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "CONFLICT",
  "UPLOAD_REJECTED",
  "RATE_LIMITED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

export const MASKED_MESSAGE = "internal error";

/** True when the error is one we meant to show (a domain error or a GraphQL request error). */
export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return true;
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    return typeof code === "string" && PUBLIC_CODES.has(code);
  }
  return false;
}

/** Apollo's formatError: domain errors get their code, unexpected ones are masked. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { ...original.extensions, code: original.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && PUBLIC_CODES.has(code)) {
    const extensions = { ...formatted.extensions };
    delete extensions.stacktrace;
    delete extensions.http;
    return { ...formatted, extensions };
  }
  return {
    message: MASKED_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/** A GraphQL error raised before execution (access checks, limits). */
export function requestError(
  code: ErrorCode | "GRAPHQL_VALIDATION_FAILED",
  message: string,
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 200 } } });
}
