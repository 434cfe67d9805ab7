// Brings the whole platform up: database, object storage, migrations, the first admin, the demo
// dataset, the API, a supervised worker process and (optionally) the console. Real services are
// used when DATABASE_URL / S3_ENDPOINT are set; otherwise embedded ones keep their data in the data
// directory. Jobs never run in this process: the API only enqueues, the worker process works.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { configVariables, type Config } from "@gridfill/config";
import { applyMigrations, ensureDatabase, startEmbeddedPostgres } from "@gridfill/db";
import { startEmbeddedS3, storageConfig } from "@gridfill/storage";
import { createLogger, ensureAdmin, openQueue, openRuntime } from "@gridfill/core";
import { startApi } from "@gridfill/api";
import {
  credentialedDemoDevices,
  INGESTER_IDENTITY,
  seedDemoAssets,
  startEmbeddedBroker,
  startIngester,
  startSimulator,
} from "@gridfill/iot";
import { seedDemo } from "./demo-seed.ts";
import { superviseWorker, type SupervisedWorker } from "./supervise.ts";
import { ensureWebBuild, startWeb } from "./web.ts";

/** What a child process must not inherit from this environment: the configuration decides. */
const CONFIG_VARIABLE = /^(GRIDFILL_|S3_|MQTT_|DATABASE_URL$|HOST$|PORT$|WEB_PORT$)/;

export type Platform = {
  apiUrl: string;
  webUrl: string | undefined;
  databaseUrl: string;
  s3Endpoint: string;
  mqttUrl: string;
  embedded: { postgres: boolean; s3: boolean; mqtt: boolean };
  demoCredentials: { email: string; password: string } | undefined;
  /** The supervised worker process; undefined with `worker: false`. */
  worker: SupervisedWorker | undefined;
  stop(): Promise<void>;
};

export type StartOptions = {
  config: Config;
  web?: boolean;
  /** Run a worker process beside the API (default); false when workers run elsewhere. */
  worker?: boolean;
  log?: (line: string) => void;
};

export async function startPlatform({
  config,
  web = true,
  worker: withWorker = true,
  log = () => {},
}: StartOptions): Promise<Platform> {
  const stops: { name: string; run: () => Promise<void> }[] = [];
  const debug = config.debug ? log : () => {};
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

    let embeddedS3: { endpoint: string; accessKey: string; secretKey: string } | undefined;
    if (!config.s3Endpoint) {
      log("Starting the embedded S3-protocol storage…");
      const s3 = await startEmbeddedS3({
        directory: path.join(config.dataDir, "objects"),
        port: config.s3Port,
      });
      stops.push({ name: "object storage", run: () => s3.stop() });
      embeddedS3 = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey };
    }
    const runtime = await openRuntime(config, {
      databaseUrl,
      storage: storageConfig(config.storage, embeddedS3),
    });
    stops.push({ name: "database pool", run: () => runtime.close() });
    const { prisma, pool, storage } = runtime;

    if (config.admin) await ensureAdmin(prisma, config.admin.email, config.admin.password);
    let demoCredentials: Platform["demoCredentials"];
    if (config.seedDemo) {
      const seeded = await seedDemo({ prisma, storage, config, log, pool });
      demoCredentials = seeded.credentials;
      if (demoCredentials) {
        writeFileSync(
          path.join(config.dataDir, "demo-credentials.txt"),
          `email: ${demoCredentials.email}\npassword: ${demoCredentials.password}\n`,
          { mode: 0o600 },
        );
      }
    }

    // The queue opens before the API, which enqueues through it, and closes after it (stops run in
    // reverse), so no request can enqueue into a closed queue.
    const jobs = await openQueue({ config, log: runtime.log, databaseUrl, pool });
    stops.push({ name: "job queue", run: () => jobs.stop() });
    let worker: SupervisedWorker | undefined;
    if (withWorker) {
      log("Starting a worker process…");
      worker = await superviseWorker({
        // This process's settings, with the database and store it actually uses, and nothing
        // of gridfill's from the surrounding environment that the configuration did not take.
        env: {
          ...Object.fromEntries(
            Object.entries(process.env).filter(([name]) => !CONFIG_VARIABLE.test(name)),
          ),
          ...configVariables(config),
          DATABASE_URL: databaseUrl,
          ...(embeddedS3
            ? {
                S3_ENDPOINT: embeddedS3.endpoint,
                S3_ACCESS_KEY: embeddedS3.accessKey,
                S3_SECRET_KEY: embeddedS3.secretKey,
              }
            : {}),
        },
        log: (line) => process.stdout.write(`${line}\n`),
      });
      stops.push({ name: "worker", run: () => worker!.stop() });
    }
    // Telemetry: an in-process broker unless MQTT_URL names one, and the ingester either way.
    let mqttUrl = config.mqttUrl;
    let protocolVersion: 4 | 5 = 5;
    let mqttLogin = config.mqttLogin;
    if (!mqttUrl) {
      log("Starting the embedded MQTT broker…");
      const broker = await startEmbeddedBroker({
        pool,
        host: config.host,
        port: config.mqttPort ?? 0,
      });
      stops.push({ name: "MQTT broker", run: () => broker.stop() });
      mqttUrl = broker.url;
      protocolVersion = broker.protocolVersion;
      mqttLogin = broker.ingester;
    }
    const ingester = await startIngester({
      mqttUrl,
      protocolVersion,
      pool,
      clientId: INGESTER_IDENTITY,
      ...mqttLogin,
      log: createLogger(config.logLevel),
    });
    stops.push({ name: "ingester", run: () => ingester.stop() });
    if (config.seedDemo && config.mqttUrl) {
      // Its devices get fresh secrets at each start, which a broker of its own (a password file)
      // cannot know: readings then come from real devices, onboarded as packages/iot/README.md says.
      log("No demo telemetry simulator: MQTT_URL names an external broker.");
    } else if (config.seedDemo) {
      await seedDemoAssets(prisma, { plausibleRanges: true });
      const simulator = await startSimulator({
        mqttUrl,
        protocolVersion,
        devices: await credentialedDemoDevices(prisma),
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
      JSON.stringify(
        { pid: process.pid, workerPid: worker?.pid, apiUrl: api.url, databaseUrl },
        null,
        2,
      ),
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
      s3Endpoint: embeddedS3?.endpoint ?? config.s3Endpoint ?? "",
      mqttUrl,
      embedded: { postgres: !config.databaseUrl, s3: !config.s3Endpoint, mqtt: !config.mqttUrl },
      demoCredentials,
      worker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
