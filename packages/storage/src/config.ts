/**
 * The object-store client's configuration, from the storage block of the configuration
 * (`config.storage`, the S3_* variables) or from the embedded server's address and keys. Every
 * problem is reported at once, naming the variable, so a misconfigured deployment fails at
 * start-up with one readable message.
 */

export interface StorageConfig {
  /** S3/MinIO endpoint URL, e.g. `http://127.0.0.1:9000` (no path). */
  endPoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucketImages: string;
  bucketModels: string;
  bucketExports: string;
  /** Lifetime of presigned URLs in seconds; also the ceiling for per-call TTLs. */
  presignTtlSeconds: number;
  /** Derived from the endpoint scheme (`https:` → true). */
  useSSL: boolean;
  /** The endpoint browsers reach, used only to sign presigned URLs (defaults to `endPoint`). */
  publicEndPoint: string;
}

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_BUCKET_PREFIX = "gridfill-";
export const DEFAULT_PRESIGN_TTL_SECONDS = 300;
/** Presigned URLs are bearer tokens: keep them short-lived even if configured otherwise. */
export const MAX_PRESIGN_TTL_SECONDS = 3600;

export class StorageConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid storage configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "StorageConfigError";
    this.problems = problems;
  }
}

export type EnvLike = Record<string, string | undefined>;

// S3 bucket naming rules (also enforced by MinIO): 3-63 chars, lowercase letters, digits, '.', '-'.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses and validates an endpoint URL; returns the normalised URL or a problem description. */
export function parseEndpoint(raw: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      problem: `S3_ENDPOINT "${raw}" is not a valid URL (expected e.g. http://127.0.0.1:9000)`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { problem: `S3_ENDPOINT must use http or https, got "${url.protocol}"` };
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return { problem: `S3_ENDPOINT must not contain a path, query or fragment, got "${raw}"` };
  }
  if (url.username || url.password) {
    return {
      problem: "S3_ENDPOINT must not contain credentials; use S3_ACCESS_KEY and S3_SECRET_KEY",
    };
  }
  return { url };
}

function nonEmpty(env: EnvLike, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** The storage block of the configuration (`Config["storage"]` in @gridfill/config). */
export interface StorageSettings {
  endpoint?: string | undefined;
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  region?: string | undefined;
  bucketPrefix?: string | undefined;
  publicEndpoint?: string | undefined;
  presignTtlSeconds?: string | undefined;
}

/** For tests and tools that hold S3_* variables rather than a loaded configuration. */
export function storageConfigFromEnv(env: EnvLike): StorageConfig {
  return storageConfig({
    endpoint: env["S3_ENDPOINT"],
    accessKey: env["S3_ACCESS_KEY"],
    secretKey: env["S3_SECRET_KEY"],
    region: env["S3_REGION"],
    bucketPrefix: env["S3_BUCKET_PREFIX"],
    publicEndpoint: env["S3_PUBLIC_ENDPOINT"],
    presignTtlSeconds: env["S3_PRESIGN_TTL_SECONDS"],
  });
}

/**
 * The client configuration for the configured store, or for an embedded one (`server` gives its
 * address and keys; the other settings, such as bucket names and URL lifetimes, still apply).
 */
export function storageConfig(
  settings: StorageSettings,
  server?: { endpoint: string; accessKey: string; secretKey: string },
): StorageConfig {
  const env: EnvLike = {
    S3_ENDPOINT: server?.endpoint ?? settings.endpoint,
    S3_ACCESS_KEY: server?.accessKey ?? settings.accessKey,
    S3_SECRET_KEY: server?.secretKey ?? settings.secretKey,
    S3_REGION: settings.region,
    S3_BUCKET_PREFIX: settings.bucketPrefix,
    S3_PUBLIC_ENDPOINT: server ? undefined : settings.publicEndpoint,
    S3_PRESIGN_TTL_SECONDS: settings.presignTtlSeconds,
  };
  const problems: string[] = [];

  const endpointRaw = nonEmpty(env, "S3_ENDPOINT");
  let endPoint = "";
  let useSSL = false;
  if (!endpointRaw) {
    problems.push("S3_ENDPOINT is required (e.g. http://127.0.0.1:9000)");
  } else {
    const parsed = parseEndpoint(endpointRaw);
    if ("problem" in parsed) problems.push(parsed.problem);
    else {
      endPoint = parsed.url.origin;
      useSSL = parsed.url.protocol === "https:";
    }
  }

  // Behind docker compose or a proxy the API reaches MinIO at one address and browsers at another;
  // a presigned URL's signature covers its host, so it must be signed for the public one.
  let publicEndPoint = endPoint;
  const publicRaw = nonEmpty(env, "S3_PUBLIC_ENDPOINT");
  if (publicRaw) {
    const parsed = parseEndpoint(publicRaw);
    if ("problem" in parsed)
      problems.push(parsed.problem.replaceAll("S3_ENDPOINT", "S3_PUBLIC_ENDPOINT"));
    else publicEndPoint = parsed.url.origin;
  }

  const accessKey = nonEmpty(env, "S3_ACCESS_KEY");
  if (!accessKey) problems.push("S3_ACCESS_KEY is required");
  const secretKey = nonEmpty(env, "S3_SECRET_KEY");
  if (!secretKey) problems.push("S3_SECRET_KEY is required");

  const region = nonEmpty(env, "S3_REGION") ?? DEFAULT_REGION;
  if (!/^[a-z0-9-]+$/.test(region)) {
    problems.push(`S3_REGION "${region}" is invalid (expected e.g. ${DEFAULT_REGION})`);
  }

  const prefix = env["S3_BUCKET_PREFIX"] ?? DEFAULT_BUCKET_PREFIX;
  const buckets = {
    bucketImages: `${prefix}images`,
    bucketModels: `${prefix}models`,
    bucketExports: `${prefix}exports`,
  };
  for (const name of Object.values(buckets)) {
    if (!BUCKET_NAME.test(name) || name.includes("..")) {
      problems.push(
        `S3_BUCKET_PREFIX "${prefix}" gives invalid bucket name "${name}" ` +
          '(use lowercase letters, digits, "-" and "."; at most 63 characters in all)',
      );
      break;
    }
  }

  let presignTtlSeconds = DEFAULT_PRESIGN_TTL_SECONDS;
  const ttlRaw = nonEmpty(env, "S3_PRESIGN_TTL_SECONDS");
  if (ttlRaw !== undefined) {
    const n = Number(ttlRaw);
    if (!/^\d+$/.test(ttlRaw) || !Number.isSafeInteger(n) || n < 1 || n > MAX_PRESIGN_TTL_SECONDS) {
      problems.push(
        `S3_PRESIGN_TTL_SECONDS must be a whole number of seconds between 1 and ${MAX_PRESIGN_TTL_SECONDS}, got "${ttlRaw}"`,
      );
    } else {
      presignTtlSeconds = n;
    }
  }

  if (problems.length) throw new StorageConfigError(problems);
  return {
    endPoint,
    publicEndPoint,
    accessKey: accessKey!,
    secretKey: secretKey!,
    region,
    ...buckets,
    presignTtlSeconds,
    useSSL,
  };
}
