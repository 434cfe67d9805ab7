/**
 * AWS Signature Version 4 verification for the embedded S3 server.
 *
 * s3rver only checks that a V4 request names a known access key; it never checks the signature.
 * A presigned URL shows the access key in clear, so without this check anybody who saw one
 * could forge any request. We verify header-signed and query-signed (presigned) requests the
 * way S3/MinIO do. The payload hash is taken as declared, not recomputed over the body.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export type VerifyResult =
  { ok: true } | { ok: false; status: number; code: string; message: string };

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function fail(code: string, message: string, status = 403): VerifyResult {
  return { ok: false, status, code, message };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(",") : v).trim().replace(/\s+/g, " ");
}

/** Verifies the request against the single allowed key pair. Requests without auth are refused. */
export function verifySigV4(
  req: IncomingMessage,
  credentials: { accessKey: string; secretKey: string },
  now: number = Date.now(),
): VerifyResult {
  const rawUrl = req.url ?? "/";
  const qIndex = rawUrl.indexOf("?");
  const rawPath = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
  const rawQuery = qIndex === -1 ? "" : rawUrl.slice(qIndex + 1);
  const query: [string, string][] = rawQuery
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq === -1
        ? [safeDecode(pair), ""]
        : [safeDecode(pair.slice(0, eq)), safeDecode(pair.slice(eq + 1))];
    });
  const q = new Map(query);

  const authorization = req.headers.authorization;
  const presigned = q.has("X-Amz-Algorithm");
  if (authorization && presigned)
    return fail("InvalidArgument", "Only one auth mechanism allowed", 400);

  let credential: string;
  let signedHeaders: string;
  let signature: string;
  let amzDate: string;
  let payloadHash: string;

  if (presigned) {
    if (q.get("X-Amz-Algorithm") !== ALGORITHM) {
      return fail("AuthorizationQueryParametersError", `X-Amz-Algorithm must be ${ALGORITHM}`, 400);
    }
    credential = q.get("X-Amz-Credential") ?? "";
    signedHeaders = q.get("X-Amz-SignedHeaders") ?? "";
    signature = q.get("X-Amz-Signature") ?? "";
    amzDate = q.get("X-Amz-Date") ?? "";
    payloadHash = "UNSIGNED-PAYLOAD";
    const expires = Number(q.get("X-Amz-Expires"));
    if (!Number.isInteger(expires) || expires < 0 || expires > MAX_PRESIGN_SECONDS) {
      return fail(
        "AuthorizationQueryParametersError",
        "X-Amz-Expires is missing or out of range",
        400,
      );
    }
    const signedAt = parseAmzDate(amzDate);
    if (Number.isNaN(signedAt))
      return fail("AuthorizationQueryParametersError", "X-Amz-Date is invalid", 400);
    if (now > signedAt + expires * 1000) return fail("AccessDenied", "Request has expired");
  } else if (authorization) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization);
    if (!m) return fail("AccessDenied", "Only AWS Signature Version 4 is accepted");
    const parts = new Map(
      m[1]!.split(",").map((p) => {
        const t = p.trim();
        const eq = t.indexOf("=");
        return [t.slice(0, eq), t.slice(eq + 1)] as [string, string];
      }),
    );
    credential = parts.get("Credential") ?? "";
    signedHeaders = parts.get("SignedHeaders") ?? "";
    signature = parts.get("Signature") ?? "";
    amzDate = headerValue(req, "x-amz-date") ?? "";
    payloadHash = headerValue(req, "x-amz-content-sha256") ?? "";
    if (!payloadHash)
      return fail("InvalidRequest", "Missing required header: x-amz-content-sha256", 400);
    const signedAt = parseAmzDate(amzDate);
    if (Number.isNaN(signedAt))
      return fail("AccessDenied", "A valid x-amz-date header is required");
    if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
      return fail(
        "RequestTimeTooSkewed",
        "The difference between the request time and the server time is too large",
      );
    }
  } else {
    return fail("AccessDenied", "Anonymous access is not allowed");
  }

  const scopeParts = credential.split("/");
  if (scopeParts.length !== 5 || scopeParts[3] !== "s3" || scopeParts[4] !== "aws4_request") {
    return fail("AuthorizationHeaderMalformed", "Credential scope is malformed", 400);
  }
  const [accessKey, day, region] = scopeParts as [string, string, string, string, string];
  if (accessKey !== credentials.accessKey) {
    return fail("InvalidAccessKeyId", "The access key does not exist in our records");
  }
  if (!amzDate.startsWith(day))
    return fail("SignatureDoesNotMatch", "Credential date does not match request date");
  if (!signedHeaders.split(";").includes("host"))
    return fail("AccessDenied", "The host header must be signed");

  const canonicalUri = rawPath
    .split("/")
    .map((seg) => rfc3986(safeDecode(seg)))
    .join("/");
  const canonicalQuery = query
    .filter(([k]) => !(presigned && k === "X-Amz-Signature"))
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const headerNames = signedHeaders.split(";");
  const canonicalHeaders = headerNames.map((h) => `${h}:${headerValue(req, h) ?? ""}\n`).join("");
  const canonicalRequest = [
    req.method ?? "GET",
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    amzDate,
    scope,
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretKey}`, day), region), "s3"),
    "aws4_request",
  );
  const expected = Buffer.from(hmac(signingKey, stringToSign).toString("hex"));
  const provided = Buffer.from(signature);
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) {
    return fail(
      "SignatureDoesNotMatch",
      "The request signature does not match. Check your key and signing method.",
    );
  }
  return { ok: true };
}

function amzDateOf(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * A query-signed (presigned) URL whose signature also covers the given headers, e.g.
 * `content-length`: S3, MinIO and the embedded server then refuse a request whose header differs.
 * minio's presigner cannot do this (it never signs Content-Length).
 */
export function presignV4(input: {
  method: string;
  /** Endpoint plus `/<bucket>/<key>` (path style). */
  url: URL;
  accessKey: string;
  secretKey: string;
  region: string;
  expiresSeconds: number;
  /** Lower-case header names and their exact values, besides `host`. */
  headers?: Record<string, string>;
  now?: number;
}): string {
  const amzDate = amzDateOf(input.now ?? Date.now());
  const day = amzDate.slice(0, 8);
  const headers = new Map<string, string>([
    ["host", input.url.host],
    ...Object.entries(input.headers ?? {}),
  ]);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(";");
  const query: [string, string][] = [
    ["X-Amz-Algorithm", ALGORITHM],
    ["X-Amz-Credential", `${input.accessKey}/${day}/${input.region}/s3/aws4_request`],
    ["X-Amz-Date", amzDate],
    ["X-Amz-Expires", String(input.expiresSeconds)],
    ["X-Amz-SignedHeaders", signedHeaders],
  ];
  const canonicalQuery = query
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join("&");
  const canonicalUri = input.url.pathname
    .split("/")
    .map((seg) => rfc3986(safeDecode(seg)))
    .join("/");
  const canonicalRequest = [
    input.method,
    canonicalUri,
    canonicalQuery,
    names.map((h) => `${h}:${headers.get(h)!.trim()}\n`).join(""),
    signedHeaders,
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const stringToSign = [
    ALGORITHM,
    amzDate,
    `${day}/${input.region}/s3/aws4_request`,
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), "s3"),
    "aws4_request",
  );
  const signature = hmac(signingKey, stringToSign).toString("hex");
  return `${input.url.origin}${canonicalUri}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
