// Cross-site WebSocket hijacking: a page on another origin of the same host opens the API's
// graphql-ws endpoint in Chromium, which sends the console's session cookie along (same site, so
// SameSite=Lax does not stop it). Only the console's origins may use that cookie over WebSocket,
// and a WebSocket carries subscriptions only: queries and mutations go by POST, where CSRF
// prevention applies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { createClient } from "graphql-ws";
import { startTestApi, TEST_PASSWORD, type TestApi } from "./testing/harness.ts";

const CHROMIUM = process.env.GRIDFILL_E2E_CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`;

/** A bare page server: the origin a script runs from is all these tests need. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end("<!doctype html><title>page</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let t: TestApi;
let consolePage: { server: Server; origin: string };
let foreignPage: { server: Server; origin: string };
let browser: Browser | undefined;
let sessionToken: string;

before(async () => {
  consolePage = await pageServer();
  foreignPage = await pageServer();
  t = await startTestApi({ GRIDFILL_CONSOLE_ORIGINS: consolePage.origin });
  const login = await t.gql<{ login: { sessionToken: string } }>(
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { sessionToken } }`,
    { e: t.users.CURATOR.email, p: TEST_PASSWORD },
  );
  sessionToken = login.data!.login.sessionToken;
});

after(async () => {
  await browser?.close();
  await t.close();
  consolePage.server.close();
  foreignPage.server.close();
});

interface SocketOutcome {
  closeCode?: number;
  messages: { type: string; id?: string; payload?: unknown }[];
}

/**
 * Opens the API's graphql-ws endpoint from a Chromium page on `origin`, with the curator's session
 * cookie in the browser, and sends one operation; resolves when it completes, errs or the socket
 * closes.
 */
async function fromPage(origin: string, query: string): Promise<SocketOutcome> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const context = await browser.newContext();
  try {
    const apiHost = new URL(t.api.url);
    await context.addCookies([
      {
        name: "gridfill_session",
        value: sessionToken,
        domain: apiHost.hostname,
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
      },
    ]);
    const page = await context.newPage();
    await page.goto(origin);
    return await page.evaluate(
      ({ url, query }) =>
        new Promise<SocketOutcome>((resolve) => {
          const outcome: SocketOutcome = { messages: [] };
          const socket = new WebSocket(url, "graphql-transport-ws");
          const timer = setTimeout(() => socket.close(), 10_000);
          socket.onopen = () => socket.send(JSON.stringify({ type: "connection_init" }));
          socket.onmessage = (event) => {
            const message = JSON.parse(String(event.data));
            outcome.messages.push(message);
            if (message.type === "connection_ack")
              socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
            if (message.type === "complete" || message.type === "error") socket.close();
          };
          socket.onclose = (event) => {
            clearTimeout(timer);
            outcome.closeCode = event.code;
            resolve(outcome);
          };
        }),
      { url: `${t.api.url.replace(/^http/, "ws")}/graphql`, query },
    );
  } finally {
    await context.close();
  }
}

const createDataset = (name: string) =>
  `mutation { createDataset(input: { name: "${name}" }) { id } }`;

test(
  "a page on a foreign origin cannot act with the console's session cookie",
  { skip },
  async () => {
    const outcome = await fromPage(foreignPage.origin, createDataset("hijacked"));
    assert.equal(await t.db.prisma.dataset.count({ where: { name: "hijacked" } }), 0);
    assert.equal(await t.db.prisma.auditEvent.count({ where: { action: "dataset.create" } }), 0);
    assert.equal(outcome.closeCode, 4403, JSON.stringify(outcome));
    assert.ok(!outcome.messages.some((m) => m.type === "next"), JSON.stringify(outcome));
  },
);

test("the console's origin subscribes with the session cookie", { skip }, async () => {
  // Signed in by the cookie, the curator passes the access check (an anonymous socket would get
  // UNAUTHENTICATED) and the resolver looks the request up.
  const outcome = await fromPage(
    consolePage.origin,
    `subscription { fillRequestUpdated(id: "not-a-uuid") { id } }`,
  );
  const next = outcome.messages.find((m) => m.type === "next");
  assert.equal(
    (next?.payload as { errors?: { extensions?: { code?: string } }[] })?.errors?.[0]?.extensions
      ?.code,
    "NOT_FOUND",
    JSON.stringify(outcome),
  );
});

test("mutations over WebSocket are refused, even from the console's origin", { skip }, async () => {
  const outcome = await fromPage(consolePage.origin, createDataset("over-websocket"));
  assert.equal(await t.db.prisma.dataset.count({ where: { name: "over-websocket" } }), 0);
  const error = outcome.messages.find((m) => m.type === "error");
  assert.match(JSON.stringify(error?.payload), /only subscriptions/, JSON.stringify(outcome));
});

test("bearer-token sockets (scripts, no Origin) may subscribe but not query or mutate", async () => {
  const client = createClient({
    url: `${t.api.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${t.users.CURATOR.token}` },
  });
  type Errors = readonly { message: string; extensions?: Record<string, unknown> }[];
  const run = (query: string) =>
    new Promise<Errors>((resolve, reject) => {
      let errors: Errors = [];
      client.subscribe(
        { query },
        {
          next: (result) => (errors = (result.errors ?? []) as Errors),
          error: (error) => (Array.isArray(error) ? resolve(error) : reject(error)),
          complete: () => resolve(errors),
        },
      );
    });
  try {
    const mutation = await run(createDataset("scripted"));
    assert.match(mutation[0]?.message ?? "", /only subscriptions/);
    assert.equal(await t.db.prisma.dataset.count({ where: { name: "scripted" } }), 0);
    const query = await run(`{ datasets { edges { node { id } } } }`);
    assert.match(query[0]?.message ?? "", /only subscriptions/);
    const subscription = await run(`subscription { fillRequestUpdated(id: "not-a-uuid") { id } }`);
    assert.equal(subscription[0]?.extensions?.code, "NOT_FOUND");
  } finally {
    await client.dispose();
  }
});
