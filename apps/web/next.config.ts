import type { NextConfig } from "next";

// The browser only ever talks to this origin; GraphQL and the health check are forwarded to the
// API so its httpOnly session cookie stays first-party. Next resolves rewrites when it builds
// (they land in the routes manifest), so set GRIDFILL_API_URL for `next build`, not only `next start`.
const apiUrl = (process.env.GRIDFILL_API_URL ?? "http://127.0.0.1:4000").replace(/\/+$/, "");

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  async rewrites() {
    return [
      { source: "/graphql", destination: `${apiUrl}/graphql` },
      { source: "/healthz", destination: `${apiUrl}/healthz` },
    ];
  },
};

export default nextConfig;
