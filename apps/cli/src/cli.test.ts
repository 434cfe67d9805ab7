// The command line as scripts use it: against a real API, authenticated by token or by password.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { runGridfill } from "./testing.ts";

describe("gridfill CLI", () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
    const created = await t.gql(
      `mutation { createDataset(input: { name: "line-7", classes: [{ name: "bird_nest" }, { name: "corrosion" }] }) { id } }`,
      {},
      t.users.CURATOR,
    );
    assert.equal(created.errors, undefined);
  });
  after(() => t.close());

  test("balance --json prints every dataset's statistics, authenticated by an API token", async () => {
    const { code, stdout, stderr } = await runGridfill(["balance", "--json"], {
      GRIDFILL_URL: t.api.url,
      GRIDFILL_TOKEN: t.users.VIEWER.token,
    });
    assert.equal(code, 0, stderr);
    const datasets = JSON.parse(stdout) as {
      name: string;
      balance: { total: number; classes: unknown[] };
    }[];
    assert.deepEqual(
      datasets.map((d) => d.name),
      ["line-7"],
    );
    assert.equal(datasets[0]?.balance.total, 0);
    assert.equal(datasets[0]?.balance.classes.length, 2);
  });

  test("balance --dataset prints a table, signing in with email and password", async () => {
    const { code, stdout, stderr } = await runGridfill(["balance", "--dataset", "line-7"], {
      GRIDFILL_URL: t.api.url,
      GRIDFILL_EMAIL: t.users.VIEWER.email,
      GRIDFILL_PASSWORD: "correct horse battery",
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^line-7: 0 images counted/m);
    assert.match(stdout, /bird_nest/);
  });

  test("clear errors: no credentials, unknown dataset, unreachable API", async () => {
    const anonymous = await runGridfill(["balance"], { GRIDFILL_URL: t.api.url });
    assert.equal(anonymous.code, 2);
    assert.match(anonymous.stderr, /GRIDFILL_TOKEN/);

    const unknown = await runGridfill(["balance", "--dataset", "nope"], {
      GRIDFILL_URL: t.api.url,
      GRIDFILL_TOKEN: t.users.VIEWER.token,
    });
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no dataset named "nope"/);

    const unreachable = await runGridfill(["balance"], {
      GRIDFILL_URL: "http://127.0.0.1:9",
      GRIDFILL_TOKEN: "x",
    });
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /cannot reach the gridfill API/);
  });

  test("admin create makes an administrator who can sign in", async () => {
    const { code, stdout, stderr } = await runGridfill(
      ["admin", "create", "--email", "ops@grid.example", "--password", "a-long-admin-password"],
      { DATABASE_URL: t.db.url },
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Created administrator ops@grid\.example/);
    const login = await t.gql<{ login: { user: { role: string } } }>(
      `mutation { login(email: "ops@grid.example", password: "a-long-admin-password") { user { role } } }`,
      {},
      null,
    );
    assert.equal(login.data?.login.user.role, "ADMIN");

    const short = await runGridfill(
      ["admin", "create", "--email", "x@grid.example", "--password", "short"],
      {
        DATABASE_URL: t.db.url,
      },
    );
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /at least 12 characters/);
  });
});

test("synth writes a Pascal VOC dataset", async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), "gridfill-synth-"));
  try {
    const { code, stderr } = await runGridfill(
      ["synth", "--out", out, "--images", "4", "--seed", "3", "--width", "256", "--height", "256"],
      {},
    );
    assert.equal(code, 0, stderr);
    assert.equal(readdirSync(path.join(out, "JPEGImages")).length, 4);
    assert.equal(readdirSync(path.join(out, "Annotations")).length, 4);
    assert.ok(existsSync(path.join(out, "ImageSets/Main/train.txt")));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
