// `gridfill ingest`: the telemetry ingester as a process of its own, for installations that run
// the API and the ingester separately. Embedded broker when MQTT_URL is unset, as `start` does.
import type { Config } from "@gridfill/config";
import { createLogger } from "@gridfill/core";
import { applyMigrations, createPool } from "@gridfill/db";
import { startEmbeddedBroker, startIngester } from "@gridfill/iot";

export async function runIngest(
  config: Config,
  options: { clientId: string; topicPrefix?: string },
): Promise<void> {
  if (!config.databaseUrl)
    throw new Error("DATABASE_URL is required (use `gridfill start` for the embedded database)");
  const log = createLogger(config.logLevel, (line) => process.stdout.write(`${line}\n`));
  await applyMigrations(config.databaseUrl);
  const pool = createPool(config.databaseUrl, { max: 4 });
  const broker = config.mqttUrl
    ? undefined
    : await startEmbeddedBroker({
        pool,
        host: config.host,
        port: config.mqttPort ?? 1883,
        ...(options.topicPrefix ? { topicPrefix: options.topicPrefix } : {}),
      });
  if (broker) log.info("embedded MQTT broker started", { url: broker.url });
  const ingester = await startIngester({
    mqttUrl: config.mqttUrl ?? broker!.url,
    protocolVersion: broker ? broker.protocolVersion : 5,
    pool,
    clientId: options.clientId,
    ...(broker?.ingester ?? config.mqttLogin ?? {}),
    ...(options.topicPrefix ? { topicPrefix: options.topicPrefix } : {}),
    log,
  });
  const report = setInterval(() => log.info("ingest", { ...ingester.metrics.snapshot() }), 10_000);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    // Acknowledge what has committed; the broker keeps the session for the next start.
    await ingester.stop();
    await pool.end();
    await broker?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}
