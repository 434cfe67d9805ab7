import type { NextConfig } from "next";

// `/graphql` and `/healthz` are forwarded to the API by src/proxy.ts, at request time, so
// GRIDFILL_API_URL can be set when the console starts rather than when it is built.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
