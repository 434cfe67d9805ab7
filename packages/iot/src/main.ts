// The ingester as a process of its own:
//   DATABASE_URL=postgresql://… [MQTT_URL=mqtt://…] node --import tsx packages/iot/src/main.ts
// MQTT_URL unset: an embedded broker is started on MQTT_PORT (default 1883). Other settings:
// MQTT_CLIENT_ID (default gridfill-ingester), MQTT_USERNAME / MQTT_PASSWORD, MQTT_TOPIC_PREFIX. Logs are JSON lines on stdout;
// SIGINT/SIGTERM acknowledge what is committed and leave the session for the next start.
import { createPool } from "@gridfill/db";
import { startEmbeddedBroker } from "./broker.ts";
import { startIngester } from "./ingester.ts";
import { INGESTER_IDENTITY } from "./credentials.ts";
import type { IngesterLog } from "./ingester.ts";

const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
const log: IngesterLog = { info: line("info"), warn: line("warn"), error: line("error") };

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is required");
  process.exit(2);
}
const pool = createPool(databaseUrl, { max: 4 });
const broker = process.env.MQTT_URL
  ? undefined
  : await startEmbeddedBroker({ pool, port: Number(process.env.MQTT_PORT ?? 1883) });
if (broker) log.info("embedded MQTT broker started", { url: broker.url });
const ingester = await startIngester({
  mqttUrl: process.env.MQTT_URL ?? broker!.url,
  protocolVersion: broker ? broker.protocolVersion : 5,
  pool,
  clientId: process.env.MQTT_CLIENT_ID ?? INGESTER_IDENTITY,
  ...(broker?.ingester ?? {
    username: process.env.MQTT_USERNAME,
    password: process.env.MQTT_PASSWORD,
  }),
  topicPrefix: process.env.MQTT_TOPIC_PREFIX,
  log,
});
const report = setInterval(() => log.info("ingest", { ...ingester.metrics.snapshot() }), 10_000);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    clearInterval(report);
    await ingester.stop();
    await pool.end();
    await broker?.stop();
    process.exit(0);
  });
}
