// The real API, started in-process against the benchmark database, and a GraphQL client that
// keeps one signed-in keep-alive connection (fetch's pooled agent) like a console tab does.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { datasetBalance, ensureAdmin, listImages } from "@gridfill/core";
import { startApi } from "@gridfill/api";
import { loadConfig } from "@gridfill/config";
import { PrismaClient } from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv } from "@gridfill/storage";
import { SqlRecorder } from "./sql-recorder.ts";

export interface BenchApi {
  url: string;
  recorder: SqlRecorder;
  /**
   * The services behind the two resolvers, called in-process on the API's own pools: the same
   * work without HTTP, GraphQL parsing, validation, authentication and serialisation.
   */
  services: {
    balance(datasetId: string): Promise<unknown>;
    images(
      datasetId: string,
      filter: object,
      first: number,
      after: string | null,
    ): Promise<unknown>;
  };
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const ADMIN_EMAIL = "bench-admin@gridfill.test";
const ADMIN_PASSWORD = "bench-admin-password-1";

export async function startBenchApi(databaseUrl: string): Promise<BenchApi> {
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-bench-"));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    const s3 = await startEmbeddedS3({ directory: path.join(dir, "objects") });
    stops.push(() => s3.stop());
    const env = {
      DATABASE_URL: databaseUrl,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      PORT: "0",
      GRIDFILL_DATA_DIR: dir,
      GRIDFILL_SEED_DEMO: "false",
      // Request logs would be part of what is timed and flood the benchmark's output.
      GRIDFILL_LOG_LEVEL: "warn",
    };
    const config = loadConfig(env);
    const storage = new Storage(storageConfigFromEnv(env));
    await storage.ensureBuckets();

    const recorder = new SqlRecorder();
    const pool = recorder.pool(databaseUrl);
    const prismaPool = recorder.pool(databaseUrl);
    const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
    stops.push(async () => {
      await prisma.$disconnect();
      await pool.end();
      await prismaPool.end().catch(() => {});
    });

    await ensureAdmin(prisma, ADMIN_EMAIL, ADMIN_PASSWORD);
    const api = await startApi({ config, prisma, pool, storage });
    stops.push(() => api.close());

    const session: { authorization?: string } = {};
    async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "apollo-require-preflight": "true",
          ...(session.authorization ? { authorization: session.authorization } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length)
        throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join("; ")}`);
      if (!response.ok || !body.data) throw new Error(`HTTP ${response.status}`);
      return body.data;
    }

    const signedIn = await gql<{ login: { sessionToken: string } }>(
      `mutation SignIn($email: String!, $password: String!) { login(email: $email, password: $password) { sessionToken } }`,
      { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    );
    session.authorization = `Bearer ${signedIn.login.sessionToken}`;
    const services: BenchApi["services"] = {
      async balance(datasetId) {
        const dataset = await prisma.dataset.findUniqueOrThrow({ where: { id: datasetId } });
        return datasetBalance(prisma, dataset);
      },
      images: (datasetId, filter, first, after) =>
        listImages({ prisma, pool }, datasetId, filter, first, after),
    };
    return { url: api.url, recorder, services, gql, close };
  } catch (error) {
    await close();
    throw error;
  }
}
