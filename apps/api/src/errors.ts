// Domain errors: services throw these (or return them as values); the API shows them with a stable
// `extensions.code`. Anything else is an internal error and is masked before it leaves the server.
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "CONFLICT"
  | "UPLOAD_REJECTED"
  | "RATE_LIMITED";

/** Why an upload was refused; `inspectImage` codes pass through unchanged. */
export type UploadRejection =
  | "NOT_AN_IMAGE"
  | "TRUNCATED"
  | "TOO_MANY_PIXELS"
  | "TOO_LARGE_DIMENSIONS"
  | "TOO_MANY_BYTES"
  | "UNSUPPORTED_FORMAT"
  | "SHA256_MISMATCH"
  | "SIZE_MISMATCH"
  | "OBJECT_MISSING"
  | "WRONG_DATASET"
  | "EXPIRED"
  | "ALREADY_CONFIRMED"
  | "INVALID_BOX"
  | "UNKNOWN_CLASS";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  new DomainError("BAD_USER_INPUT", message, extensions);
export const notFound = (what: string, id?: string) =>
  new DomainError("NOT_FOUND", id ? `${what} ${id} not found` : `${what} not found`);
export const conflict = (message: string, extensions?: Record<string, unknown>) =>
  new DomainError("CONFLICT", message, extensions);
export const forbidden = (message = "not allowed") => new DomainError("FORBIDDEN", message);
export const unauthenticated = (message = "sign in first") =>
  new DomainError("UNAUTHENTICATED", message);
export const uploadRejected = (reason: UploadRejection, message: string) =>
  new DomainError("UPLOAD_REJECTED", message, { reason });

/** Service results for expected failures that callers branch on. */
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; extensions?: Record<string, unknown> };

/** Turns a failed Result into the DomainError a resolver throws. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new DomainError(result.code, result.message, result.extensions);
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Ids come from clients: a malformed one is a missing entity, not a database error. */
export function requireUuid(value: string, what: string): string {
  if (!isUuid(value)) throw notFound(what, value);
  return value.toLowerCase();
}

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
