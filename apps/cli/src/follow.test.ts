// Following fills, imports and exports to their end against a real API with its job runner. The
// API's subscriptions push the progress: with polls an hour apart every job still ends at once.
// In front of the API, a forwarder stands for a proxy that passes POST /graphql but refuses
// WebSocket upgrades, or lets a socket open and cuts it at the first pushed result: the command
// then polls, says nothing of it, and reports the same end state.
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { folderOf, png, vocXmlOf } from "../../../packages/formats/src/test-fixtures.ts";
import { ApiClient } from "./api-client.ts";
import { runExport } from "./commands/export.ts";
import { runFill } from "./commands/fill.ts";
import { runImport } from "./commands/import.ts";
import { runGridfill, seedCrackDataset } from "./testing.ts";

/** A poll would wait an hour: only a pushed end can finish a follow within PROMPTLY. */
const HOUR = 3600;
const PROMPTLY = { timeout: 120_000 };
let t: TestApi;

function sink() {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** A terminal's stand-in: the command draws its progress bar on it. */
function terminal() {
  const screen = { text: "" };
  const stream = Object.assign(
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        screen.text += chunk.toString();
        done();
      },
    }),
    { isTTY: true, columns: 100 },
  );
  return { stream, screen };
}

function gridfill(args: string[], url: string) {
  return runGridfill(args, { GRIDFILL_URL: url, GRIDFILL_TOKEN: t.users.CURATOR.token });
}

/** A proxy before the API: POSTs pass; WebSocket upgrades are refused or cut as told. */
async function forwarder(sockets: "refused" | "cut at the first result") {
  const api = new URL(t.api.url);
  const seen = { posts: 0, upgrades: 0, cut: 0 };
  const server = createServer(async (req, res) => {
    seen.posts++;
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    const answer = await fetch(new URL(req.url ?? "/", api), {
      method: req.method ?? "POST",
      headers: passedHeaders(req),
      ...(body.length ? { body: Buffer.concat(body) } : {}),
    });
    res.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "text/plain",
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    seen.upgrades++;
    if (sockets === "refused") {
      socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(Number(api.port), api.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join("\r\n") + "\r\n\r\n");
      upstream.write(head);
      socket.pipe(upstream);
    });
    // Server frames are unmasked and uncompressed, so the message type reads in the bytes.
    upstream.on("data", (chunk: Buffer) => {
      if (!chunk.includes('"type":"next"')) return void socket.write(chunk);
      seen.cut++;
      upstream.destroy();
      socket.destroy();
    });
    upstream.on("error", () => socket.destroy());
    upstream.on("close", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
    socket.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function passedHeaders(req: IncomingMessage): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of ["content-type", "authorization", "apollo-require-preflight"]) {
    const value = req.headers[name];
    if (typeof value === "string") passed[name] = value;
  }
  return passed;
}

const fillArgs = (seed: string) => [
  "fill",
  "--dataset",
  "line-4",
  "--class",
  "crack",
  "--count",
  "3",
  "--method",
  "copy-paste",
  "--hosts",
  "any",
  "--seed",
  seed,
  "--wait",
  "--json",
];

before(async () => {
  t = await startTestApi({ GRIDFILL_FILL_BATCH: "1" }, { jobs: true });
  await seedCrackDataset(t, "line-4");
});
after(() => t?.close());

test("fill --wait ends on the pushed progress, polls an hour apart", PROMPTLY, async () => {
  const client = new ApiClient({ url: t.api.url, token: t.users.CURATOR.token });
  const { stream, screen } = terminal();
  const request = await runFill(
    client,
    {
      dataset: "line-4",
      class: "crack",
      count: "3",
      method: "copy-paste",
      hosts: "any",
      seed: "11",
      wait: true,
      pollSeconds: HOUR,
    },
    stream,
  );
  assert.equal(request.status, "SUCCEEDED");
  assert.equal(request.completed, 3);
  assert.equal(request.images?.length, 3);
  assert.match(screen.text, /Filling \[.*\] 3\/3 images/);
  assert.match(screen.text, /succeeded: 3 of 3 made/);
});

test("import and export follow their jobs by subscription as well", PROMPTLY, async () => {
  const client = new ApiClient({ url: t.api.url, token: t.users.CURATOR.token });
  const folder = await folderOf({
    "JPEGImages/a.png": png(64, 48),
    "JPEGImages/b.png": png(80, 60),
    "Annotations/a.xml": vocXmlOf("a.png", { width: 64, height: 48 }, [["crack", 1, 1, 10, 10]]),
    "Annotations/b.xml": vocXmlOf("b.png", { width: 80, height: 60 }, [["nest", 5, 5, 30, 30]]),
  });
  const imported = await runImport(
    client,
    folder,
    { dataset: "line-5", format: "voc", create: true, json: true, pollSeconds: HOUR },
    sink(),
  );
  assert.equal(imported.status, "SUCCEEDED");
  assert.equal(imported.imagesAdded, 2);

  const { rows } = await t.db.pool.query(`SELECT id FROM "Dataset" WHERE name = 'line-5'`);
  const version = await t.gql(
    `mutation($id: ID!) { createVersion(datasetId: $id, note: "follow") { number } }`,
    { id: rows[0].id },
    t.users.CURATOR,
  );
  assert.equal(version.errors, undefined, JSON.stringify(version.errors));
  const out = path.join(await mkdtemp(path.join(os.tmpdir(), "gridfill-follow-")), "line-5.zip");
  const exported = await runExport(
    client,
    { dataset: "line-5", version: "1", format: "yolo", out, json: true, pollSeconds: HOUR },
    sink(),
  );
  assert.equal(exported.status, "SUCCEEDED");
  assert.equal((await readFile(out)).subarray(0, 2).toString(), "PK");
});

// Each fill its own seed: a sample identical to an image already in the dataset is refused.
for (const [sockets, seed] of [
  ["refused", "12"],
  ["cut at the first result", "13"],
] as const) {
  test(`fill --wait polls quietly when WebSocket upgrades are ${sockets}`, async () => {
    const proxy = await forwarder(sockets);
    try {
      const filled = await gridfill(fillArgs(seed), proxy.url);
      assert.equal(filled.code, 0, filled.stderr + filled.stdout);
      assert.equal(filled.stderr, "");
      const request = JSON.parse(filled.stdout) as { status: string; completed: number };
      assert.deepEqual([request.status, request.completed], ["SUCCEEDED", 3]);
      assert.ok(proxy.seen.upgrades >= 1, "the command tried the subscription first");
      if (sockets !== "refused") assert.ok(proxy.seen.cut >= 1, "the socket was cut");
      // Finding the class, the request, at least one read of its progress, and its images.
      assert.ok(proxy.seen.posts >= 4, `${proxy.seen.posts} requests`);
    } finally {
      await proxy.close();
    }
  });
}
