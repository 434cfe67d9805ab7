import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, configVariables, loadConfig } from "./index.ts";

test("defaults describe the embedded, local-only setup", () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.s3Endpoint, undefined);
  assert.equal(config.port, 4000);
  assert.equal(config.webPort, 3000);
  assert.equal(config.host, "127.0.0.1");
  assert.ok(config.dataDir.endsWith(".gridfill"));
});

test("empty strings count as unset", () => {
  assert.equal(loadConfig({ DATABASE_URL: "" }).databaseUrl, undefined);
});

test("a bad value names the variable", () => {
  assert.throws(
    () => loadConfig({ PORT: "eighty" }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /PORT/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL/);
});

test("the first admin needs both email and password", () => {
  assert.throws(() => loadConfig({ GRIDFILL_ADMIN_EMAIL: "a@b.co" }), /set together/);
  const config = loadConfig({
    GRIDFILL_ADMIN_EMAIL: "a@b.co",
    GRIDFILL_ADMIN_PASSWORD: "long-enough-secret",
  });
  assert.deepEqual(config.admin, { email: "a@b.co", password: "long-enough-secret" });
});

test("--data-dir overrides GRIDFILL_DATA_DIR", () => {
  const config = loadConfig({ GRIDFILL_DATA_DIR: "/srv/a" }, { dataDir: "/srv/b" });
  assert.equal(config.dataDir, "/srv/b");
});

test("console origins default to where the console listens, and must be bare origins", () => {
  assert.deepEqual(loadConfig({ WEB_PORT: "3100" }).consoleOrigins, [
    "http://127.0.0.1:3100",
    "http://localhost:3100",
  ]);
  assert.deepEqual(
    loadConfig({ GRIDFILL_CONSOLE_ORIGINS: "https://grid.example.com, http://10.0.0.5:3000" })
      .consoleOrigins,
    ["https://grid.example.com", "http://10.0.0.5:3000"],
  );
  assert.throws(
    () => loadConfig({ GRIDFILL_CONSOLE_ORIGINS: "https://grid.example.com/console" }),
    (error: Error) =>
      error instanceof ConfigError && /GRIDFILL_CONSOLE_ORIGINS: not an origin/.test(error.message),
  );
});

test("every setting comes from the one schema, in typed blocks", () => {
  const config = loadConfig({
    S3_ENDPOINT: "http://minio:9000",
    S3_ACCESS_KEY: "key",
    S3_SECRET_KEY: "secret",
    S3_BUCKET_PREFIX: "plant-",
    MQTT_PORT: "1999",
    GRIDFILL_S3_PORT: "9100",
    GRIDFILL_DEBUG: "true",
    GRIDFILL_EXECUTION_PROVIDER: "cuda",
  });
  assert.equal(config.storage.endpoint, "http://minio:9000");
  assert.equal(config.storage.bucketPrefix, "plant-");
  assert.equal(config.mqttPort, 1999);
  assert.equal(config.s3Port, 9100);
  assert.equal(config.debug, true);
  assert.equal(config.fills.executionProvider, "cuda");
  assert.equal("env" in config, false, "no raw copy of the environment rides along");
  assert.throws(() => loadConfig({ MQTT_PORT: "99999" }), /MQTT_PORT/);
  assert.throws(() => loadConfig({ GRIDFILL_DEBUG: "maybe" }), /GRIDFILL_DEBUG/);
});

test("configVariables gives a child process the settings, and nothing else of the environment", () => {
  const config = loadConfig({ PORT: "4100", GRIDFILL_LOG_LEVEL: "warn", HOME: "/root", EMPTY: "" });
  assert.deepEqual({ ...configVariables(config) }, { PORT: "4100", GRIDFILL_LOG_LEVEL: "warn" });
  assert.deepEqual(loadConfig(configVariables(config)), config);
});

test("trusted proxies are names, addresses or CIDR ranges", () => {
  assert.deepEqual(loadConfig({}).trustedProxies, ["loopback"]);
  assert.deepEqual(loadConfig({ GRIDFILL_TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).trustedProxies, [
    "10.0.0.0/8",
    "::1",
  ]);
  assert.throws(
    () => loadConfig({ GRIDFILL_TRUSTED_PROXIES: "console.internal" }),
    (error: Error) =>
      error instanceof ConfigError && /GRIDFILL_TRUSTED_PROXIES/.test(error.message),
  );
});
