/**
 * Test harness: a Storage against the embedded server in a temp directory, or against a real
 * S3/MinIO when TEST_S3_ENDPOINT (+ TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY) is set.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { storageConfigFromEnv } from "./config.ts";
import { startEmbeddedS3 } from "./embedded-s3.ts";
import { Storage } from "./storage.ts";

export interface TestStorage {
  storage: Storage;
  /** true when running against the embedded server started by the harness. */
  embedded: boolean;
  close(): Promise<void>;
}

export async function startTestStorage(env: NodeJS.ProcessEnv = process.env): Promise<TestStorage> {
  // A random bucket prefix isolates runs from each other on a shared server.
  const prefix = `gft-${randomBytes(4).toString("hex")}-`;
  if (env["TEST_S3_ENDPOINT"]) {
    const config = storageConfigFromEnv({
      S3_ENDPOINT: env["TEST_S3_ENDPOINT"],
      S3_ACCESS_KEY: env["TEST_S3_ACCESS_KEY"] ?? "minioadmin",
      S3_SECRET_KEY: env["TEST_S3_SECRET_KEY"] ?? "minioadmin",
      S3_REGION: env["TEST_S3_REGION"],
      S3_BUCKET_PREFIX: prefix,
    });
    const storage = new Storage(config);
    return {
      storage,
      embedded: false,
      async close() {
        for (const bucket of ["images", "models", "exports"] as const) {
          const keys: string[] = [];
          for await (const k of storage.listKeys(bucket)) keys.push(k);
          await storage.removeMany(bucket, keys);
          await storage.client.removeBucket(storage.bucketName(bucket)).catch(() => {});
        }
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "gridfill-storage-test-"));
  const s3 = await startEmbeddedS3({
    directory: dir,
    accessKey: "test-access",
    secretKey: "test-secret-key",
  });
  const storage = new Storage(
    storageConfigFromEnv({
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET_PREFIX: prefix,
    }),
  );
  return {
    storage,
    embedded: true,
    async close() {
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
