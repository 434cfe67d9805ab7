// The embedded default, as a new user meets it: `gridfill start` with no services configured
// reaches /readyz, serves the console, stops cleanly on Ctrl-C, and keeps its data across restarts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

const bin = path.resolve(import.meta.dirname, "../bin/gridfill.js");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startOnce(dataDir: string, withWeb: boolean) {
  const port = await freePort();
  const webPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    WEB_PORT: String(webPort),
    GRIDFILL_DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  delete env.S3_ENDPOINT;
  delete env.GRIDFILL_ADMIN_EMAIL;
  delete env.GRIDFILL_ADMIN_PASSWORD;
  const child = spawn(process.execPath, [bin, "start", ...(withWeb ? [] : ["--no-web"])], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 240_000;
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) assert.fail(`gridfill start exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      assert.fail(`gridfill start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    exited,
    output: () => output,
    apiUrl: `http://127.0.0.1:${port}`,
    webUrl: `http://127.0.0.1:${webPort}`,
  };
}

test(
  "gridfill start on the embedded default reaches /readyz, stops on Ctrl-C, and survives a restart",
  { timeout: 600_000 },
  async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gridfill-start-"));
    await chmod(dataDir, 0o755); // run as root, the embedded PostgreSQL's own user must get in
    try {
      const first = await startOnce(dataDir, true);
      const ready = await fetch(`${first.apiUrl}/readyz`);
      assert.equal(ready.status, 200);
      const login = await fetch(`${first.webUrl}/login`);
      assert.equal(login.status, 200, "the console serves its login page");
      assert.match(first.output(), /Console\s+http:\/\/127\.0\.0\.1:\d+/);
      assert.match(first.output(), /MQTT\s+embedded broker at mqtt:\/\/127\.0\.0\.1:\d+/);
      assert.match(first.output(), /Seeding the demo dataset/);
      assert.match(
        first.output(),
        /password\s+\S{12,}/,
        "the demo credentials are printed when created",
      );
      assert.ok(existsSync(path.join(dataDir, "demo-credentials.txt")));

      first.child.kill("SIGINT");
      assert.equal(await first.exited, 0, `clean exit on SIGINT:\n${first.output()}`);
      assert.match(first.output(), /Stopped\./);

      const second = await startOnce(dataDir, false);
      assert.doesNotMatch(
        second.output(),
        /Seeding the demo dataset/,
        "the data directory kept the demo",
      );
      assert.equal((await fetch(`${second.apiUrl}/readyz`)).status, 200);
      const credentials = readFileSync(path.join(dataDir, "demo-credentials.txt"), "utf8");
      const email = /email: (.+)/.exec(credentials)?.[1];
      const password = /password: (.+)/.exec(credentials)?.[1];
      const res = await fetch(`${second.apiUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "apollo-require-preflight": "true" },
        body: JSON.stringify({
          query:
            "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ user { email } sessionToken } }",
          variables: { e: email, p: password },
        }),
      });
      const body = (await res.json()) as {
        data?: { login: { user: { email: string }; sessionToken: string } };
      };
      assert.equal(
        body.data?.login.user.email,
        email,
        "the demo admin can still sign in after a restart",
      );
      // The demo can be filled at once: an active model, and every class has K real train images.
      const demo = await fetch(`${second.apiUrl}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${body.data!.login.sessionToken}`,
        },
        body: JSON.stringify({
          query: `{ modelVersions { name status shots }
                  datasets(first: 5) { edges { node { id name } } } }`,
        }),
      });
      const seeded = (await demo.json()) as {
        data: {
          modelVersions: { name: string; status: string; shots: number }[];
          datasets: { edges: { node: { id: string; name: string } }[] };
        };
      };
      assert.deepEqual(
        seeded.data.modelVersions.map((m) => [m.name, m.status, m.shots]),
        [["mvsa-gan-demo", "ACTIVE", 3]],
      );
      const datasetId = seeded.data.datasets.edges.find((e) => e.node.name === "demo-insulators")!
        .node.id;
      const plan = await fetch(`${second.apiUrl}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${body.data!.login.sessionToken}`,
        },
        body: JSON.stringify({
          query: `query($d: ID!) { fillPlan(datasetId: $d, strategy: { kind: TO_MAX }) { classes { realTrainImages blockedReason } } }`,
          variables: { d: datasetId },
        }),
      });
      const planned = (await plan.json()) as {
        data: {
          fillPlan: { classes: { realTrainImages: number; blockedReason: string | null }[] };
        };
      };
      for (const c of planned.data.fillPlan.classes) {
        assert.ok(
          c.realTrainImages >= 8,
          `every demo class has at least 8 real train images (${JSON.stringify(c)})`,
        );
        assert.equal(c.blockedReason, null);
      }
      second.child.kill("SIGINT");
      assert.equal(await second.exited, 0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
