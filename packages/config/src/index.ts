// The one configuration loader: every process (API, worker, CLI, start) reads its settings here,
// validated once at start-up, failing with a message that names the variable.
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const port = z.coerce.number().int().min(0).max(65535);

/** A comma-separated list of web origins (scheme://host[:port]), each normalised by URL. */
const origins = z.string().transform((value, ctx) => {
  const list: string[] = [];
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (
      !url ||
      !["http:", "https:"].includes(url.protocol) ||
      url.origin !== entry.replace(/\/$/, "")
    ) {
      ctx.addIssue({ code: "custom", message: `not an origin (scheme://host[:port]): ${entry}` });
      return z.NEVER;
    }
    list.push(url.origin);
  }
  return list;
});
const positiveInt = z.coerce.number().int().positive();

/** Proxies whose X-Forwarded-For is believed: Express's names, addresses or CIDR ranges. */
const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];
const proxies = z.string().transform((value, ctx) => {
  const list = value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of list) {
    const [address, prefix] = entry.split("/");
    const valid =
      PROXY_NAMES.includes(entry) ||
      (isIP(address!) > 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)));
    if (!valid) {
      ctx.addIssue({
        code: "custom",
        message: `not an address, CIDR range or one of ${PROXY_NAMES.join(", ")}: ${entry}`,
      });
      return z.NEVER;
    }
  }
  return list;
});

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  S3_REGION: z.string().optional(),
  S3_BUCKET_PREFIX: z.string().optional(),
  S3_PUBLIC_ENDPOINT: z.string().optional(),
  S3_PRESIGN_TTL_SECONDS: z.string().optional(),
  GRIDFILL_S3_PORT: port.default(0),
  MQTT_PORT: port.optional(),
  GRIDFILL_DEBUG: bool.default(false),
  MQTT_URL: z.url({ protocol: /^(mqtts?|wss?|tcp)$/ }).optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: port.default(4000),
  WEB_PORT: port.default(3000),
  GRIDFILL_CONSOLE_ORIGINS: origins.optional(),
  GRIDFILL_TRUSTED_PROXIES: proxies.default(["loopback"]),
  GRIDFILL_INTROSPECTION: bool.optional(),
  GRIDFILL_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  GRIDFILL_DATA_DIR: z.string().default(".gridfill"),
  GRIDFILL_ADMIN_EMAIL: z.email().optional(),
  GRIDFILL_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  GRIDFILL_SEED_DEMO: bool.default(true),
  GRIDFILL_SESSION_TTL_HOURS: positiveInt.default(12),
  GRIDFILL_COOKIE_SECURE: bool.default(false),
  GRIDFILL_UPLOAD_TTL_SECONDS: positiveInt.max(3600).default(900),
  GRIDFILL_UPLOAD_MAX_OPEN: positiveInt.default(100),
  GRIDFILL_UPLOAD_MAX_OPEN_BYTES: positiveInt.default(2 * 1024 ** 3),
  GRIDFILL_MAX_IMAGE_BYTES: positiveInt.default(50 * 1024 * 1024),
  GRIDFILL_MAX_ARCHIVE_BYTES: positiveInt.max(Number.MAX_SAFE_INTEGER).default(64 * 1024 ** 3),
  GRIDFILL_MAX_MODEL_BYTES: positiveInt.max(2 ** 31 - 1).default(1024 ** 3),
  GRIDFILL_MAX_IMAGE_SIDE: positiveInt.default(16384),
  GRIDFILL_MAX_IMAGE_PIXELS: positiveInt.default(100_000_000),
  GRIDFILL_IMPORT_MAX_BOXES_PER_IMAGE: positiveInt.max(1_000_000).default(5000),
  GRIDFILL_MAX_QUERY_DEPTH: positiveInt.default(12),
  GRIDFILL_MAX_QUERY_COST: positiveInt.default(20000),
  GRIDFILL_MAX_PAGE_SIZE: positiveInt.max(1000).default(200),
  GRIDFILL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  GRIDFILL_FILL_MAX_COUNT: positiveInt.max(100_000).default(1000),
  GRIDFILL_FILL_MIN_REFERENCES: positiveInt.optional(),
  GRIDFILL_FILL_BATCH: positiveInt.max(256).default(8),
  GRIDFILL_WORKER_CONCURRENCY: positiveInt.max(64).default(1),
  GRIDFILL_EXECUTION_PROVIDER: z.enum(["cpu", "cuda"]).default("cpu"),
  GRIDFILL_JOB_SUPERVISE_SECONDS: positiveInt.max(3600).default(30),
  GRIDFILL_READING_RETENTION_DAYS: positiveInt.optional(),
});

/**
 * Object storage as configured (S3_*), checked in detail by @gridfill/storage's `storageConfig`,
 * which turns it, or the embedded server's address and keys, into a client configuration.
 */
export type StorageSettings = Readonly<{
  endpoint: string | undefined;
  accessKey: string | undefined;
  secretKey: string | undefined;
  region: string | undefined;
  bucketPrefix: string | undefined;
  publicEndpoint: string | undefined;
  presignTtlSeconds: string | undefined;
}>;

export type Config = Readonly<{
  databaseUrl: string | undefined;
  s3Endpoint: string | undefined;
  storage: StorageSettings;
  /** Port of the embedded S3 server (0: any free port). */
  s3Port: number;
  /** Port of the embedded MQTT broker (`start`: any free port; `ingest`: 1883). */
  mqttPort: number | undefined;
  /** Say what starts and stops, step by step. */
  debug: boolean;
  mqttUrl: string | undefined;
  /** The ingester's login at the broker of MQTT_URL (the embedded broker makes its own). */
  mqttLogin: { username: string; password: string } | undefined;
  host: string;
  port: number;
  webPort: number;
  /** Origins of the console: only pages from these may use the session cookie over WebSocket. */
  consoleOrigins: readonly string[];
  /** Proxies (the console's among them) whose X-Forwarded-For names the client's address. */
  trustedProxies: readonly string[];
  /** GraphQL introspection: on in development, off elsewhere unless enabled. */
  introspection: boolean;
  /** Bearer token /metrics needs; without it, /metrics answers local, unproxied callers only. */
  metricsToken: string | undefined;
  dataDir: string;
  admin: { email: string; password: string } | undefined;
  seedDemo: boolean;
  sessionTtlHours: number;
  cookieSecure: boolean;
  uploadTtlSeconds: number;
  /** Per user: upload tickets requested and neither confirmed nor expired, and their announced bytes. */
  uploadQuota: { maxOpen: number; maxOpenBytes: number };
  imageLimits: { maxBytes: number; maxWidth: number; maxHeight: number; maxPixels: number };
  /** Largest zip an import or a prediction upload may announce, and largest ONNX file. */
  uploadLimits: { archiveMaxBytes: number; modelMaxBytes: number };
  /** An imported image with more boxes than this is refused (reported per file). */
  importMaxBoxesPerImage: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  maxPageSize: number;
  logLevel: "debug" | "info" | "warn" | "error";
  fills: {
    /** Largest count one fill request may ask for. */
    maxCount: number;
    /** Real train images with boxes a class needs before it can be filled; default the model's K. */
    minReferences: number | undefined;
    /** Samples per generator run. */
    batch: number;
    /** Fill jobs one worker process runs at once. */
    concurrency: number;
    executionProvider: "cpu" | "cuda";
  };
  /** How often the job queue looks for jobs whose worker stopped sending heartbeats. */
  jobSuperviseSeconds: number;
  /** Telemetry readings older than this many days are dropped; undefined keeps them all. */
  readingRetentionDays: number | undefined;
}>;

/** Where `gridfill start` serves the console: its host and the loopback names for it. */
function defaultConsoleOrigins(host: string, webPort: number): string[] {
  const hosts = new Set(["127.0.0.1", "localhost"]);
  if (!["0.0.0.0", "::"].includes(host)) hosts.add(host.includes(":") ? `[${host}]` : host);
  return [...hosts].map((h) => `http://${h}:${webPort}`);
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the configuration; empty strings count as unset. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: { dataDir?: string } = {},
): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  if (Boolean(c.GRIDFILL_ADMIN_EMAIL) !== Boolean(c.GRIDFILL_ADMIN_PASSWORD)) {
    throw new ConfigError(
      "invalid configuration:\n  GRIDFILL_ADMIN_EMAIL and GRIDFILL_ADMIN_PASSWORD must be set together",
    );
  }
  if (Boolean(c.MQTT_USERNAME) !== Boolean(c.MQTT_PASSWORD)) {
    throw new ConfigError(
      "invalid configuration:\n  MQTT_USERNAME and MQTT_PASSWORD must be set together",
    );
  }
  const config: Config = Object.freeze({
    databaseUrl: c.DATABASE_URL,
    s3Endpoint: c.S3_ENDPOINT,
    storage: Object.freeze({
      endpoint: c.S3_ENDPOINT,
      accessKey: c.S3_ACCESS_KEY,
      secretKey: c.S3_SECRET_KEY,
      region: c.S3_REGION,
      bucketPrefix: c.S3_BUCKET_PREFIX,
      publicEndpoint: c.S3_PUBLIC_ENDPOINT,
      presignTtlSeconds: c.S3_PRESIGN_TTL_SECONDS,
    }),
    s3Port: c.GRIDFILL_S3_PORT,
    mqttPort: c.MQTT_PORT,
    debug: c.GRIDFILL_DEBUG,
    mqttUrl: c.MQTT_URL,
    mqttLogin:
      c.MQTT_USERNAME && c.MQTT_PASSWORD
        ? { username: c.MQTT_USERNAME, password: c.MQTT_PASSWORD }
        : undefined,
    host: c.HOST,
    port: c.PORT,
    webPort: c.WEB_PORT,
    consoleOrigins: c.GRIDFILL_CONSOLE_ORIGINS ?? defaultConsoleOrigins(c.HOST, c.WEB_PORT),
    trustedProxies: c.GRIDFILL_TRUSTED_PROXIES,
    introspection: c.GRIDFILL_INTROSPECTION ?? env.NODE_ENV === "development",
    metricsToken: c.GRIDFILL_METRICS_TOKEN,
    dataDir: path.resolve(overrides.dataDir ?? c.GRIDFILL_DATA_DIR),
    admin:
      c.GRIDFILL_ADMIN_EMAIL && c.GRIDFILL_ADMIN_PASSWORD
        ? { email: c.GRIDFILL_ADMIN_EMAIL, password: c.GRIDFILL_ADMIN_PASSWORD }
        : undefined,
    seedDemo: c.GRIDFILL_SEED_DEMO,
    sessionTtlHours: c.GRIDFILL_SESSION_TTL_HOURS,
    cookieSecure: c.GRIDFILL_COOKIE_SECURE,
    uploadTtlSeconds: c.GRIDFILL_UPLOAD_TTL_SECONDS,
    uploadQuota: {
      maxOpen: c.GRIDFILL_UPLOAD_MAX_OPEN,
      maxOpenBytes: c.GRIDFILL_UPLOAD_MAX_OPEN_BYTES,
    },
    imageLimits: {
      maxBytes: c.GRIDFILL_MAX_IMAGE_BYTES,
      maxWidth: c.GRIDFILL_MAX_IMAGE_SIDE,
      maxHeight: c.GRIDFILL_MAX_IMAGE_SIDE,
      maxPixels: c.GRIDFILL_MAX_IMAGE_PIXELS,
    },
    uploadLimits: {
      archiveMaxBytes: c.GRIDFILL_MAX_ARCHIVE_BYTES,
      modelMaxBytes: c.GRIDFILL_MAX_MODEL_BYTES,
    },
    importMaxBoxesPerImage: c.GRIDFILL_IMPORT_MAX_BOXES_PER_IMAGE,
    maxQueryDepth: c.GRIDFILL_MAX_QUERY_DEPTH,
    maxQueryCost: c.GRIDFILL_MAX_QUERY_COST,
    maxPageSize: c.GRIDFILL_MAX_PAGE_SIZE,
    logLevel: c.GRIDFILL_LOG_LEVEL,
    fills: {
      maxCount: c.GRIDFILL_FILL_MAX_COUNT,
      minReferences: c.GRIDFILL_FILL_MIN_REFERENCES,
      batch: c.GRIDFILL_FILL_BATCH,
      concurrency: c.GRIDFILL_WORKER_CONCURRENCY,
      executionProvider: c.GRIDFILL_EXECUTION_PROVIDER,
    },
    jobSuperviseSeconds: c.GRIDFILL_JOB_SUPERVISE_SECONDS,
    readingRetentionDays: c.GRIDFILL_READING_RETENTION_DAYS,
  });
  // The variables behind it, for processes this one starts (the worker under `gridfill start`).
  variables.set(config, Object.freeze(known(cleaned)));
  return config;
}

const variables = new WeakMap<Config, Readonly<Record<string, string>>>();

/** Only the variables the schema knows: a child process gets settings, not the whole environment. */
function known(cleaned: Record<string, string | undefined>): Record<string, string> {
  const names = new Set(Object.keys(schema.shape));
  return Object.fromEntries(Object.entries(cleaned).filter(([name]) => names.has(name))) as Record<
    string,
    string
  >;
}

/**
 * The configuration as environment variables, to start another gridfill process with the same
 * settings: exactly the schema's variables that were set, as validated.
 */
export function configVariables(config: Config): Readonly<Record<string, string>> {
  const found = variables.get(config);
  if (!found) throw new Error("configVariables needs a Config made by loadConfig");
  return found;
}
