import { NextResponse, type NextRequest } from "next/server";

/**
 * The browser only ever talks to the console's origin: GraphQL and the health check are forwarded
 * to the API here, so its httpOnly session cookie stays first-party. This runs per request (not as
 * a next.config rewrite, which Next freezes at build time) because the API's address is known only
 * at start: `gridfill start` picks it, docker-compose names the `api` service.
 */
export function proxy(request: NextRequest) {
  const api = (process.env.GRIDFILL_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");
  return NextResponse.rewrite(
    new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, `${api}/`),
  );
}

export const config = { matcher: ["/graphql", "/healthz"] };
