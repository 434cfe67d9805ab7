// The HTTP surface and its protections: health and readiness, metrics, POST-only GraphQL with CSRF
// prevention, body size limit, hostile queries, page-size limits and masked internal errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "@gridfill/config";
import { startApi } from "./server.ts";
import { startTestApi, errorCode, type TestApi } from "./testing/harness.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

const url = (path: string) => `${t.api.url}${path}`;

test("/healthz answers, /readyz checks the database and the bucket", async () => {
  const health = await fetch(url("/healthz"));
  assert.equal(health.status, 200);
  assert.equal(health.headers.get("x-powered-by"), null);
  assert.ok(health.headers.get("x-request-id"));
  const ready = await fetch(url("/readyz"));
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), {
    status: "ready",
    checks: { database: "ok", storage: "ok" },
  });
});

test("/metrics exposes process, HTTP and GraphQL operation metrics", async () => {
  await t.gql(`query ListDatasets { datasets { edges { node { id } } } }`, {}, t.users.VIEWER);
  await t.gql(`query ListDatasets { datasets { edges { node { id } } } }`);
  const text = await (await fetch(url("/metrics"))).text();
  assert.match(text, /process_cpu_user_seconds_total/);
  assert.match(text, /gridfill_http_request_duration_seconds_bucket\{[^}]*route="\/graphql"/);
  assert.match(
    text,
    /gridfill_graphql_operations_total\{operation="ListDatasets",type="query",outcome="ok"\} 1/,
  );
  assert.match(
    text,
    /gridfill_graphql_operations_total\{operation="ListDatasets",type="query",outcome="rejected"\} 1/,
  );
});

test("GraphQL is POST only, with CSRF prevention and a 1 MB body limit", async () => {
  const get = await fetch(url("/graphql?query=%7B_health%7D"));
  assert.equal(get.status, 405);
  // A "simple" cross-site request (no preflight) is refused by CSRF prevention.
  const simple = await fetch(url("/graphql"), {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ query: "{ _health }" }),
  });
  assert.equal(simple.status, 400);
  const big = await fetch(url("/graphql"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ _health }", variables: { pad: "x".repeat(1_100_000) } }),
  });
  assert.equal(big.status, 413);
  const ok = await t.gql(`{ _health }`);
  assert.deepEqual(ok.data, { _health: "ok" });
});

test("introspection is off unless enabled, and field suggestions are never given", async () => {
  const introspect = `{ __schema { queryType { name } } }`;
  const refused = await t.gql(introspect);
  assert.equal(errorCode(refused), "GRAPHQL_VALIDATION_FAILED");
  assert.equal(refused.data, undefined);
  const typo = await t.gql(`{ datasetz { edges { node { id } } } }`, {}, t.users.VIEWER);
  assert.equal(errorCode(typo), "GRAPHQL_VALIDATION_FAILED");
  assert.doesNotMatch(typo.errors![0]!.message, /Did you mean/);

  const open = await startApi({
    config: loadConfig({ HOST: "127.0.0.1", PORT: "0", GRIDFILL_INTROSPECTION: "true" }),
    prisma: t.db.prisma,
    pool: t.db.pool,
    storage: t.storage,
  });
  try {
    const response = await fetch(`${open.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: introspect }),
    });
    const body = (await response.json()) as {
      data?: { __schema: { queryType: { name: string } } };
    };
    assert.equal(body.data?.__schema.queryType.name, "Query");
  } finally {
    await open.close();
  }
});

test("hostile queries are refused before execution: too deep, too costly, alias floods", async () => {
  const deep = `{ datasets { edges { node { classes { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } } }`;
  const tooDeep = await t.gql(deep, {}, t.users.VIEWER);
  assert.ok(tooDeep.errors?.[0]?.message.match(/depth/i), JSON.stringify(tooDeep));
  assert.equal(tooDeep.data, undefined);

  const page = `images(datasetId: $d, first: 200) { edges { node { url thumbnailUrl annotations { defectClass { name parent { name } } author { name } } dataset { balance { total } imageCount } } } }`;
  const costly = `query($d: ID!) { ${[1, 2, 3].map((i) => `p${i}: ${page}`).join(" ")} }`;
  const tooCostly = await t.gql(
    costly,
    { d: "00000000-0000-7000-8000-000000000000" },
    t.users.VIEWER,
  );
  assert.equal(errorCode(tooCostly), "GRAPHQL_VALIDATION_FAILED");
  assert.match(tooCostly.errors![0]!.message, /query cost \d+ exceeds the limit of 20000/);

  const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: _health`).join(" ")} }`;
  const flood = await t.gql(aliases);
  assert.ok(flood.errors?.[0]?.message.match(/alias/i), JSON.stringify(flood));
  assert.equal(flood.data, undefined);
});

test("page sizes above the maximum are a clear input error", async () => {
  const result = await t.gql(
    `{ datasets(first: 5000) { edges { node { id } } } }`,
    {},
    t.users.VIEWER,
  );
  assert.equal(errorCode(result), "BAD_USER_INPUT");
  assert.match(result.errors![0]!.message, /at most 200/);
});

test("internal errors are masked, with a request id that the server log carries", async () => {
  await t.db.pool.query(`ALTER TABLE "Dataset" RENAME TO "DatasetAway"`);
  try {
    const result = await t.gql(`{ datasets { edges { node { id } } } }`, {}, t.users.VIEWER);
    const error = result.errors![0]!;
    assert.equal(error.message, "internal error");
    assert.equal(error.extensions!.code, "INTERNAL_SERVER_ERROR");
    const requestId = error.extensions!.requestId as string;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(JSON.stringify(result), /DatasetAway|relation|prisma/i);
    assert.ok(
      t.logged.some((line) => line.includes(requestId) && /Dataset/.test(line)),
      "the real error is logged with the request id",
    );
  } finally {
    await t.db.pool.query(`ALTER TABLE "DatasetAway" RENAME TO "Dataset"`);
  }
});

test("graphql-ws on the same server and path applies the same access checks", async () => {
  const { createClient } = await import("graphql-ws");
  const run = async (query: string, authorization?: string) => {
    const client = createClient({
      url: `${t.api.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      ...(authorization ? { connectionParams: { authorization } } : {}),
    });
    try {
      return await new Promise<{
        data?: unknown;
        errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
      }>((resolve, reject) => {
        let result: { data?: unknown; errors?: { message: string }[] } = {};
        client.subscribe(
          { query },
          {
            next: (value) => (result = value as typeof result),
            error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
            complete: () => resolve(result),
          },
        );
      });
    } finally {
      await client.dispose();
    }
  };
  const subscription = `subscription { fillRequestUpdated(id: "not-a-uuid") { id } }`;
  const refused = await run(subscription);
  assert.equal(refused.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  const allowed = (await run(subscription, `Bearer ${t.users.VIEWER.token}`)) as {
    data?: unknown;
    errors?: { extensions?: Record<string, unknown> }[];
  };
  assert.equal(
    allowed.errors?.[0]?.extensions?.code,
    "NOT_FOUND",
    "domain errors keep their code over WebSocket too",
  );
});
