/**
 * A throwaway platform for running the console's end-to-end test on one machine: a fresh migrated
 * database, an embedded S3 server and the API on 127.0.0.1:4000 (GRIDFILL_API_PORT), with an admin
 * (admin@gridfill.local / gridfill-admin unless GRIDFILL_E2E_EMAIL / GRIDFILL_E2E_PASSWORD say
 * otherwise). It prints the environment the test wants and runs until interrupted.
 *
 *   node --import tsx apps/web/e2e/local-platform.ts [--seed-demo]
 *   (then, in apps/web: next build && next start -p 3000)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "@gridfill/config";
import { createTestDatabase } from "@gridfill/db";
import { Storage, startEmbeddedS3, storageConfigFromEnv } from "@gridfill/storage";
import { ensureAdmin } from "@gridfill/core";
import { startApi } from "@gridfill/api";
import { seedDemoDataset } from "./demo-dataset.ts";

const email = process.env.GRIDFILL_E2E_EMAIL ?? "admin@gridfill.local";
const password = process.env.GRIDFILL_E2E_PASSWORD ?? "gridfill-admin";
const port = process.env.GRIDFILL_API_PORT ?? "4000";
const consoleUrl = process.env.GRIDFILL_E2E_URL ?? "http://127.0.0.1:3000";

const db = await createTestDatabase();
const dir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-s3-"));
const s3 = await startEmbeddedS3({ directory: dir, corsOrigins: [new URL(consoleUrl).origin] });
const storage = new Storage(
  storageConfigFromEnv({
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY: s3.accessKey,
    S3_SECRET_KEY: s3.secretKey,
  }),
);
await storage.ensureBuckets();
const config = loadConfig({ HOST: "127.0.0.1", PORT: port, GRIDFILL_LOG_LEVEL: "warn" });
const api = await startApi({ config, prisma: db.prisma, pool: db.pool, storage });
const { user } = await ensureAdmin(db.prisma, email, password, "E2E Admin");
if (process.argv.includes("--seed-demo")) {
  const demo = await seedDemoDataset(
    { prisma: db.prisma, storage, config },
    { id: user.id, email: user.email },
  );
  console.log(`demo dataset ${consoleUrl}/datasets/${demo.id}`);
}

console.log(`API ${api.url}/graphql · storage ${s3.endpoint} · database ${db.url}`);
console.log(
  `GRIDFILL_API_URL=${api.url} GRIDFILL_E2E_URL=${consoleUrl} GRIDFILL_E2E_EMAIL=${email} GRIDFILL_E2E_PASSWORD=${password}`,
);
console.log("ready");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await api.close().catch(() => {});
  await s3.stop().catch(() => {});
  await db.drop().catch(() => {});
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
