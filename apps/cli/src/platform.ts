// Brings the whole platform up in one process: database, object storage, migrations, the first
// admin, the demo dataset, the API and (optionally) the console. Real services are used when
// DATABASE_URL / S3_ENDPOINT are set; otherwise embedded ones keep their data in the data directory.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "@gridfill/config";
import {
  applyMigrations,
  createPool,
  createPrisma,
  ensureDatabase,
  startEmbeddedPostgres,
} from "@gridfill/db";
import { startEmbeddedS3, Storage, storageConfigFromEnv } from "@gridfill/storage";
import { createLogger, ensureAdmin, startApi, startJobs } from "@gridfill/api";
import {
  demoSimulatorDevices,
  seedDemoAssets,
  startEmbeddedBroker,
  startIngester,
  startSimulator,
} from "@gridfill/iot";
import { seedDemo } from "./demo-seed.ts";
import { ensureWebBuild, startWeb } from "./web.ts";

export type Platform = {
  apiUrl: string;
  webUrl: string | undefined;
  databaseUrl: string;
  s3Endpoint: string;
  mqttUrl: string;
  embedded: { postgres: boolean; s3: boolean; mqtt: boolean };
  demoCredentials: { email: string; password: string } | undefined;
  stop(): Promise<void>;
};

export type StartOptions = {
  config: Config;
  web?: boolean;
  log?: (line: string) => void;
};

export async function startPlatform({
  config,
  web = true,
  log = () => {},
}: StartOptions): Promise<Platform> {
  const stops: { name: string; run: () => Promise<void> }[] = [];
  const debug = config.env.GRIDFILL_DEBUG ? log : () => {};
  const stop = async () => {
    for (const { name, run } of stops.reverse()) {
      debug(`stopping ${name}…`);
      await run().catch((e) => log(`while stopping ${name}: ${(e as Error).message}`));
    }
  };
  try {
    mkdirSync(config.dataDir, { recursive: true });

    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      log("Starting the embedded PostgreSQL…");
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, "postgres"),
        database: "gridfill",
      });
      stops.push({ name: "PostgreSQL", run: () => pg.stop() });
      databaseUrl = pg.url;
    }
    await ensureDatabase(databaseUrl);
    const { applied } = await applyMigrations(databaseUrl);
    if (applied.length) log(`Applied ${applied.length} migration(s).`);

    const env: Record<string, string | undefined> = { ...config.env };
    if (!config.s3Endpoint) {
      log("Starting the embedded S3-protocol storage…");
      const s3 = await startEmbeddedS3({
        directory: path.join(config.dataDir, "objects"),
        port: Number(config.env.GRIDFILL_S3_PORT ?? 0),
      });
      stops.push({ name: "object storage", run: () => s3.stop() });
      env.S3_ENDPOINT = s3.endpoint;
      env.S3_ACCESS_KEY = s3.accessKey;
      env.S3_SECRET_KEY = s3.secretKey;
    }
    const storage = new Storage(storageConfigFromEnv(env));
    await storage.ensureBuckets();

    const prisma = createPrisma(databaseUrl);
    const pool = createPool(databaseUrl);
    stops.push({
      name: "database clients",
      run: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    });

    if (config.admin) await ensureAdmin(prisma, config.admin.email, config.admin.password);
    let demoCredentials: Platform["demoCredentials"];
    if (config.seedDemo) {
      const seeded = await seedDemo({ prisma, storage, config, log });
      demoCredentials = seeded.credentials;
      if (demoCredentials) {
        writeFileSync(
          path.join(config.dataDir, "demo-credentials.txt"),
          `email: ${demoCredentials.email}\npassword: ${demoCredentials.password}\n`,
          { mode: 0o600 },
        );
      }
    }

    // The job runner (imports, exports) starts before the API, which enqueues through it, and
    // stops after it (stops run in reverse), so no request can enqueue into a stopped runner.
    const jobs = await startJobs({
      prisma,
      pool,
      storage,
      config,
      log: createLogger(config.logLevel),
      databaseUrl,
    });
    stops.push({ name: "jobs", run: () => jobs.stop() });
    // Telemetry: an in-process broker unless MQTT_URL names one, and the ingester either way.
    let mqttUrl = config.mqttUrl;
    let protocolVersion: 4 | 5 = 5;
    if (!mqttUrl) {
      log("Starting the embedded MQTT broker…");
      const broker = await startEmbeddedBroker({
        host: config.host,
        port: Number(config.env.MQTT_PORT ?? 0),
      });
      stops.push({ name: "MQTT broker", run: () => broker.stop() });
      mqttUrl = broker.url;
      protocolVersion = broker.protocolVersion;
    }
    const ingester = await startIngester({
      mqttUrl,
      protocolVersion,
      pool,
      clientId: "gridfill-ingester",
      ...(config.readingRetentionDays ? { retentionDays: config.readingRetentionDays } : {}),
      log: createLogger(config.logLevel),
    });
    stops.push({ name: "ingester", run: () => ingester.stop() });
    if (config.seedDemo) {
      await seedDemoAssets(prisma);
      const simulator = await startSimulator({
        mqttUrl,
        protocolVersion,
        devices: demoSimulatorDevices(),
        intervalMs: 5000,
      });
      stops.push({ name: "telemetry simulator", run: () => simulator.stop() });
    }

    const api = await startApi({
      config,
      prisma,
      pool,
      storage,
      jobs,
      extraRegistries: [ingester.metrics.registry],
    });
    stops.push({ name: "API", run: () => api.close() });
    writeFileSync(
      path.join(config.dataDir, "runtime.json"),
      JSON.stringify({ pid: process.pid, apiUrl: api.url, databaseUrl }, null, 2),
      { mode: 0o600 },
    );

    let webUrl: string | undefined;
    if (web) {
      await ensureWebBuild(log);
      const console_ = await startWeb({ host: config.host, port: config.webPort, apiUrl: api.url });
      stops.push({ name: "console", run: () => console_.stop() });
      webUrl = console_.url;
    }

    return {
      apiUrl: api.url,
      webUrl,
      databaseUrl,
      s3Endpoint: env.S3_ENDPOINT ?? "",
      mqttUrl,
      embedded: { postgres: !config.databaseUrl, s3: !config.s3Endpoint, mqtt: !config.mqttUrl },
      demoCredentials,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
