import type { NextConfig } from "next";

// `/graphql` and `/healthz` are forwarded to the API by src/proxy.ts, at request time, so
// GRIDFILL_API_URL can be set when the console starts rather than when it is built. The
// Content-Security-Policy, which needs a nonce per response, is set there too.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // No framing by other sites (clickjacking); frame-ancestors says the same to CSP browsers.
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          // Other sites see the console's origin, never a dataset's or image's path.
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
