// Integration-test scenery: a fresh migrated database, an embedded S3 server, the API on a free
// port, and one signed-in user per role. Tests talk to it over HTTP like the console does.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "@gridfill/config";
import { createTestDatabase, type TestDatabase } from "@gridfill/db";
import { Storage, startEmbeddedS3, storageConfigFromEnv, type EmbeddedS3 } from "@gridfill/storage";
import type { Role } from "../context.ts";
import { createApiToken } from "@gridfill/core/auth/service.ts";
import { hashPassword } from "@gridfill/core/auth/credentials.ts";
import { startApi, type RunningApi } from "../server.ts";
import { createLogger, type Logger } from "@gridfill/core/log.ts";
import { startJobs, type RunningJobs, type WorkKind } from "@gridfill/worker";

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface TestApi {
  api: RunningApi;
  db: TestDatabase;
  storage: Storage;
  /** The job runner, when the options asked for one. */
  jobs: RunningJobs | undefined;
  /** S3_ENDPOINT / S3_ACCESS_KEY / S3_SECRET_KEY of the embedded server, for child processes. */
  s3Env: Record<"S3_ENDPOINT" | "S3_ACCESS_KEY" | "S3_SECRET_KEY", string>;
  config: Config;
  users: Record<Role, TestUser>;
  /** Lines the API logged (errors and warnings), for assertions on server-side logging. */
  logged: string[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | string | null,
  ): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = "correct horse battery";

export interface TestApiOptions {
  /**
   * Start the background job runner on the test database: true works every queue; `{ work: [] }`
   * only enqueues (workers run elsewhere, e.g. in child processes).
   */
  jobs?: boolean | { work: WorkKind[] };
}

export async function startTestApi(
  env: Record<string, string> = {},
  options: TestApiOptions = {},
): Promise<TestApi> {
  const db = await createTestDatabase();
  let jobs: RunningJobs | undefined;
  const dir = await mkdtemp(path.join(tmpdir(), "gridfill-api-s3-"));
  let s3: EmbeddedS3 | undefined;
  let api: RunningApi | undefined;
  try {
    s3 = await startEmbeddedS3({ directory: dir });
    const storage = new Storage(
      storageConfigFromEnv({
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY: s3.accessKey,
        S3_SECRET_KEY: s3.secretKey,
      }),
    );
    await storage.ensureBuckets();
    const config = loadConfig({ HOST: "127.0.0.1", PORT: "0", GRIDFILL_LOG_LEVEL: "warn", ...env });
    const logged: string[] = [];
    const log: Logger = createLogger("warn", (line) => logged.push(line));
    if (options.jobs) {
      jobs = await startJobs(
        { prisma: db.prisma, pool: db.pool, storage, config, log, databaseUrl: db.url },
        options.jobs === true ? {} : { work: options.jobs.work },
      );
    }
    api = await startApi({
      config,
      prisma: db.prisma,
      pool: db.pool,
      storage,
      log,
      ...(jobs ? { jobs } : {}),
    });

    const users = {} as Record<Role, TestUser>;
    // One argon2 hash shared by the three users: hashing is deliberately slow.
    const passwordHash = await hashPassword(TEST_PASSWORD);
    for (const role of ["VIEWER", "CURATOR", "ADMIN"] as const) {
      const email = `${role.toLowerCase()}@test.gridfill.local`;
      const user = await db.prisma.user.create({ data: { email, name: role, passwordHash, role } });
      const caller = {
        id: user.id,
        email,
        name: role,
        role,
        via: { kind: "session" as const, sessionId: "" },
      };
      const { token } = await createApiToken(db.prisma, caller, { name: "tests" });
      users[role] = { id: user.id, email, role, token };
    }

    const url = `${api.url}/graphql`;
    const running = api;
    const server = s3;
    return {
      api,
      db,
      storage,
      jobs,
      s3Env: { S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey },
      config,
      users,
      logged,
      async gql(query, variables = {}, as = null) {
        const token = typeof as === "string" ? as : as?.token;
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as GraphQLResult;
        return { ...body, status: response.status } as never;
      },
      async close() {
        await running.close().catch(() => {});
        await jobs?.stop().catch(() => {});
        await server.stop().catch(() => {});
        await db.drop().catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await api?.close().catch(() => {});
    await jobs?.stop().catch(() => {});
    await s3?.stop().catch(() => {});
    await db.drop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The first error's code, or undefined. */
export function errorCode(result: GraphQLResult): string | undefined {
  return result.errors?.[0]?.extensions?.code as string | undefined;
}
