// Keeps the deployment description and the documentation honest about the code.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { loadConfig } from "@gridfill/config";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

type Compose = {
  services: Record<
    string,
    { environment?: Record<string, string>; deploy?: unknown; command?: unknown }
  >;
  "x-gridfill-env": Record<string, string>;
};

const compose = parse(read("docker-compose.yml"), { merge: true }) as Compose;
const readme = read("README.md");

test("docker-compose.yml describes the production-like stack", () => {
  for (const service of [
    "postgres",
    "minio",
    "minio-buckets",
    "mosquitto",
    "api",
    "web",
    "worker",
  ]) {
    assert.ok(compose.services[service], `service ${service}`);
  }
  assert.match(JSON.stringify(compose.services.worker?.deploy), /"capabilities":\["gpu"\]/);
  assert.equal(compose.services.api?.environment?.DATABASE_URL?.startsWith("postgresql://"), true);
  assert.equal(compose.services.api?.environment?.S3_ENDPOINT, "http://minio:9000");
  // The console proxies sign-ins from another container: the API must trust its X-Forwarded-For
  // (a private address), or the login limiter counts every user as the console.
  const proxies = loadConfig({
    GRIDFILL_TRUSTED_PROXIES: compose.services.api?.environment?.GRIDFILL_TRUSTED_PROXIES,
  }).trustedProxies;
  assert.ok(proxies.includes("uniquelocal"), JSON.stringify(proxies));
});

test("every variable the configuration loader reads is documented in the README", () => {
  const sources = [
    read("packages/config/src/index.ts"),
    read("packages/storage/src/config.ts"),
  ].join("\n");
  const variables = new Set(
    [...sources.matchAll(/\b((?:GRIDFILL|S3|MQTT|DATABASE)_[A-Z0-9_]+|HOST|PORT|WEB_PORT)\b/g)].map(
      (m) => m[1]!,
    ),
  );
  for (const variable of variables)
    assert.match(readme, new RegExp("`" + variable + "`"), `${variable} is in the README`);
});

test("the compose stack only sets variables the code knows", () => {
  const known = readme;
  for (const service of Object.values(compose.services)) {
    for (const name of Object.keys(service.environment ?? {})) {
      if (/^(POSTGRES|MINIO)_/.test(name)) continue; // the services' own images
      assert.match(
        known,
        new RegExp("`" + name + "`"),
        `${name} is a documented gridfill variable`,
      );
    }
  }
});
