// The console states who is connected: a browser cannot choose the address the API counts its
// sign-in attempts by. The real console server (the production build behind server.mjs) forwards
// to a stand-in API that reports the X-Forwarded-For it received.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";

const webDir = path.resolve(import.meta.dirname, "..");
const built = existsSync(path.join(webDir, ".next", "BUILD_ID"));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test(
  "a client's own X-Forwarded-For never reaches the API: the console puts the connection's address",
  { skip: built ? false : "the console is not built (npm test builds it first)" },
  async () => {
    const received: (string | undefined)[] = [];
    const api = createServer((req: IncomingMessage, res) => {
      received.push(req.headers["x-forwarded-for"] as string | undefined);
      res.end("ok");
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const port = await freePort();
    const console_ = spawn(
      process.execPath,
      [path.join(webDir, "server.mjs"), "--hostname", "127.0.0.1", "--port", String(port)],
      {
        cwd: webDir,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", GRIDFILL_API_URL: apiUrl },
        stdio: "ignore",
      },
    );
    try {
      const deadline = Date.now() + 60_000;
      let answer: Response | undefined;
      while (!answer) {
        answer = await fetch(`http://127.0.0.1:${port}/healthz`, {
          headers: { "X-Forwarded-For": "203.0.113.66" },
        }).catch(() => undefined);
        if (!answer) {
          assert.ok(Date.now() < deadline, "the console did not start");
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      assert.equal(answer.status, 200);
      assert.equal(received.length, 1);
      assert.doesNotMatch(received[0] ?? "", /203\.0\.113\.66/, "the forged address was passed on");
      assert.match(received[0] ?? "", /^(::ffff:)?127\.0\.0\.1$/);
    } finally {
      console_.kill("SIGTERM");
      await new Promise((resolve) => api.close(resolve));
    }
  },
);
