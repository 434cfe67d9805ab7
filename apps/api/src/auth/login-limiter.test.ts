// The login limiter over HTTP against a real database: the per-account limit holds under parallel
// attempts and across API processes, and the per-address limit counts the client's address as the
// console's proxy forwards it, so one client's failures do not lock everyone else out.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "@gridfill/config";
import { startApi, type RunningApi } from "../server.ts";
import { createUser } from "@gridfill/core/auth/service.ts";
import { startTestApi, errorCode, TEST_PASSWORD, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let second: RunningApi;
before(async () => {
  t = await startTestApi();
  // A second API process on the same database, as behind a load balancer.
  second = await startApi({
    config: t.config,
    prisma: t.db.prisma,
    pool: t.db.pool,
    storage: t.storage,
  });
});
after(async () => {
  await second.close();
  await t.close();
});

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email } } }`;

async function login(
  apiUrl: string,
  email: string,
  password: string,
  forwardedFor?: string,
): Promise<string | undefined> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
    },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return errorCode(body as never) ?? "OK";
}

async function inBatches<T>(count: number, size: number, run: (i: number) => Promise<T>) {
  const results: T[] = [];
  for (let start = 0; start < count; start += size) {
    const batch = Array.from({ length: Math.min(size, count - start) }, (_, j) => run(start + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

test("40 parallel wrong passwords on one account, over two API processes, get 10 password checks", async () => {
  const email = "parallel@test.gridfill.local";
  await createUser(
    t.db.prisma,
    { email, name: "P", password: TEST_PASSWORD, role: "VIEWER" },
    null,
  );
  const outcomes = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      login(i % 2 ? second.url : t.api.url, email, `wrong password ${i}`, `192.0.2.${i + 1}`),
    ),
  );
  const checked = outcomes.filter((code) => code === "UNAUTHENTICATED").length;
  const refused = outcomes.filter((code) => code === "RATE_LIMITED").length;
  assert.equal(checked, 10, JSON.stringify(outcomes));
  assert.equal(refused, 30);
  assert.equal(await login(second.url, email, TEST_PASSWORD, "192.0.2.99"), "RATE_LIMITED");
});

test("failures from one client address do not lock out another's correct password", async () => {
  const attacker = "203.0.113.7";
  const outcomes = await inBatches(100, 10, (i) =>
    login(t.api.url, `nobody-${i}@test.gridfill.local`, "not the password", attacker),
  );
  assert.deepEqual(new Set(outcomes), new Set(["UNAUTHENTICATED"]));
  assert.equal(
    await login(t.api.url, "nobody-101@test.gridfill.local", "x", attacker),
    "RATE_LIMITED",
    "the attacker's own address is limited",
  );
  assert.equal(await login(t.api.url, t.users.ADMIN.email, TEST_PASSWORD, "198.51.100.9"), "OK");
});

test("X-Forwarded-For from a caller that is not a trusted proxy is ignored", async () => {
  const direct = await startApi({
    config: loadConfig({
      HOST: "127.0.0.1",
      PORT: "0",
      GRIDFILL_LOG_LEVEL: "warn",
      GRIDFILL_TRUSTED_PROXIES: "10.9.8.7",
    }),
    prisma: t.db.prisma,
    pool: t.db.pool,
    storage: t.storage,
  });
  try {
    await login(direct.url, "spoofer@test.gridfill.local", "x", "198.51.100.77");
    const keys = (await t.db.prisma.loginThrottle.findMany()).map((row) => row.key);
    assert.ok(!keys.includes("address:198.51.100.77"), JSON.stringify(keys));
    assert.ok(keys.includes("address:127.0.0.1"), JSON.stringify(keys));
  } finally {
    await direct.close();
  }
});
