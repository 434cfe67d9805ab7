import type { Config } from "@gridfill/config";
import { startPlatform } from "../platform.ts";

export async function runStart(
  config: Config,
  options: { web: boolean; worker: boolean },
): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const platform = await startPlatform({ config, web: options.web, worker: options.worker, log });

  log("");
  log("gridfill is running.");
  if (platform.webUrl) log(`  Console   ${platform.webUrl}`);
  log(`  API       ${platform.apiUrl}/graphql`);
  log(
    `  Worker    ${platform.worker ? `process ${platform.worker.pid} (imports, exports, fills)` : "none here (--no-worker)"}`,
  );
  log(`  Health    ${platform.apiUrl}/readyz   Metrics ${platform.apiUrl}/metrics`);
  log(`  Database  ${platform.embedded.postgres ? "embedded PostgreSQL" : "DATABASE_URL"}`);
  log(
    `  Storage   ${platform.embedded.s3 ? `embedded S3 at ${platform.s3Endpoint}` : platform.s3Endpoint}`,
  );
  log(
    `  MQTT      ${platform.embedded.mqtt ? `embedded broker at ${platform.mqttUrl}` : platform.mqttUrl}`,
  );
  log(`  Data      ${config.dataDir}`);
  if (platform.demoCredentials) {
    log("");
    log(`Demo login (saved in ${config.dataDir}/demo-credentials.txt):`);
    log(`  email     ${platform.demoCredentials.email}`);
    log(`  password  ${platform.demoCredentials.password}`);
  }
  log("");
  log("Press Ctrl-C to stop.");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping…`);
    await platform.stop();
    log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
