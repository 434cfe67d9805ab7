import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs in front of every console request.
 *
 * `/graphql` and `/healthz` are forwarded to the API, so the browser only ever talks to the
 * console's origin and the httpOnly session cookie stays first-party. This runs per request (not
 * as a next.config rewrite, which Next freezes at build time) because the API's address is known
 * only at start: `gridfill start` picks it, docker-compose names the `api` service. Next.js has set
 * X-Forwarded-For to the browser's address by now; the API believes it from this proxy only
 * (GRIDFILL_TRUSTED_PROXIES), to rate-limit sign-ins per client rather than per console.
 *
 * Pages get a Content-Security-Policy with a fresh nonce: Next.js reads it from the request and
 * puts it on its own scripts, so no other script runs (an injected `<script>` or event handler
 * is refused). The root layout renders per request so that each page carries its nonce.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (API_PATHS.has(pathname)) {
    const api = (process.env.GRIDFILL_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
    return NextResponse.rewrite(new URL(`${pathname}${search}`, `${api}/`));
  }
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

const API_PATHS = new Set(["/graphql", "/healthz"]);

/**
 * Where presigned image and upload URLs point: the object store browsers are sent to. Unset (the
 * embedded default), it is a local S3 server on a port chosen at start.
 */
function storageSources(): string {
  const endpoint = process.env.S3_PUBLIC_ENDPOINT ?? process.env.S3_ENDPOINT;
  if (endpoint && URL.canParse(endpoint)) return new URL(endpoint).origin;
  return "http://127.0.0.1:* http://localhost:*";
}

function contentSecurityPolicy(nonce: string): string {
  const storage = storageSources();
  // React's development build evaluates strings for its error overlay and fast refresh.
  const devEval = process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : "";
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval}`,
    // Components set style attributes (class colours, box positions); styles cannot run code.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob: ${storage}`,
    `connect-src 'self' ${storage}`,
    `font-src 'self' data:`,
    `worker-src 'self' blob:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join("; ");
}

export const config = {
  matcher: [
    "/graphql",
    "/healthz",
    // Pages, not build assets (immutable, served with their own headers) or prefetches.
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
