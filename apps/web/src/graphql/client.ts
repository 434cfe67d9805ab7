/**
 * The console's one way to reach the API: a POST to the same-origin `/graphql` (rewritten to the
 * API by next.config.ts), so the session cookie is first-party and no token lives in JS.
 */

/** A GraphQL document tied to the shapes of its result and variables. */
export interface Operation<TData, TVariables> {
  readonly document: string;
  /** Phantom fields: they only carry the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

export type NoVariables = Record<string, never>;

export function operation<TData, TVariables = NoVariables>(
  document: string,
): Operation<TData, TVariables> {
  return { document };
}

export type DataOf<T> = T extends Operation<infer D, unknown> ? D : never;

interface GraphQLErrorPayload {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** An error the API returned (or a transport failure, with code NETWORK_ERROR / HTTP_<status>). */
export class GraphQLRequestError extends Error {
  readonly code: string;
  readonly errors: GraphQLErrorPayload[];

  constructor(message: string, code: string, errors: GraphQLErrorPayload[] = []) {
    super(message);
    this.name = "GraphQLRequestError";
    this.code = code;
    this.errors = errors;
  }

  /** Field-level validation details the API may attach (e.g. `extensions.field`). */
  get extensions(): Record<string, unknown> {
    return this.errors[0]?.extensions ?? {};
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof GraphQLRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof GraphQLRequestError ? error.code : undefined;
}

function redirectToLogin(): void {
  if (typeof window === "undefined") return;
  const { pathname, search } = window.location;
  if (pathname.startsWith("/login")) return;
  const next = encodeURIComponent(pathname + search);
  window.location.assign(`/login?next=${next}`);
}

export interface GqlOptions {
  signal?: AbortSignal;
  /** When false, an UNAUTHENTICATED error is thrown without leaving the page (the login form). */
  redirectOnUnauthenticated?: boolean;
}

export async function gql<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables?: TVariables,
  options: GqlOptions = {},
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        // The API's CSRF prevention refuses "simple" requests without this.
        "apollo-require-preflight": "true",
      },
      body: JSON.stringify({ query: op.document, variables: variables ?? {} }),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new GraphQLRequestError(
      "Cannot reach the API. Check your connection and try again.",
      "NETWORK_ERROR",
    );
  }

  let body: { data?: TData | null; errors?: GraphQLErrorPayload[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }

  const errors = body?.errors ?? [];
  if (errors.length > 0) {
    const first = errors[0]!;
    const code = first.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    if (code === "UNAUTHENTICATED" && options.redirectOnUnauthenticated !== false)
      redirectToLogin();
    throw new GraphQLRequestError(first.message, code, errors);
  }
  if (!response.ok || !body || body.data == null) {
    const message =
      response.status >= 500
        ? `The API is unavailable (HTTP ${response.status}).`
        : `Unexpected response from the API (HTTP ${response.status}).`;
    throw new GraphQLRequestError(message, `HTTP_${response.status}`);
  }
  return body.data;
}
