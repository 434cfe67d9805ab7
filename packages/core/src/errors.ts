// Domain errors: services throw these (or return them as values); the API shows them with a stable
// `extensions.code` (apps/api/src/errors.ts). Anything else is an internal error, masked there.

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
