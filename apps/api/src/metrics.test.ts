// Who may read /metrics: with GRIDFILL_METRICS_TOKEN set, only callers that bring it; without one,
// only callers on this machine that no proxy relayed (the embedded default's operator).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { loadConfig } from "@gridfill/config";
import { startApi, type RunningApi } from "./server.ts";
import { startTestApi, type TestApi } from "./testing/harness.ts";

const TOKEN = "metrics-token-0123456789abcdef";
/** An address of this machine that is not loopback: connections to it do not come from 127.0.0.1. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

let t: TestApi;
let open: RunningApi | undefined;
let guarded: RunningApi;
before(async () => {
  t = await startTestApi();
  const start = (env: Record<string, string>) =>
    startApi({
      config: loadConfig({ PORT: "0", GRIDFILL_LOG_LEVEL: "warn", ...env }),
      prisma: t.db.prisma,
      pool: t.db.pool,
      storage: t.storage,
    });
  if (outside) open = await start({ HOST: outside });
  guarded = await start({ HOST: "127.0.0.1", GRIDFILL_METRICS_TOKEN: TOKEN });
});
after(async () => {
  await open?.close();
  await guarded.close();
  await t.close();
});

test("without a token, /metrics answers local callers only", async () => {
  assert.equal((await fetch(`${t.api.url}/metrics`)).status, 200);
  const relayed = await fetch(`${t.api.url}/metrics`, {
    headers: { "x-forwarded-for": "203.0.113.5" },
  });
  assert.equal(relayed.status, 403, "a proxy relayed it from elsewhere");
  assert.doesNotMatch(await relayed.text(), /process_cpu/);
});

test(
  "without a token, a caller from another host gets no metrics",
  { skip: !outside },
  async () => {
    const remote = await fetch(`${open!.url}/metrics`);
    assert.equal(remote.status, 403);
    assert.doesNotMatch(await remote.text(), /process_cpu/);
  },
);

test("with GRIDFILL_METRICS_TOKEN, /metrics needs it as a bearer token", async () => {
  assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
  const wrong = await fetch(`${guarded.url}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN.replace(/f$/, "e")}` },
  });
  assert.equal(wrong.status, 401);
  const right = await fetch(`${guarded.url}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(right.status, 200);
  assert.match(await right.text(), /process_cpu_user_seconds_total/);
});
