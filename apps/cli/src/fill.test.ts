// `gridfill fill` and `gridfill review` as scripts use them: against a real API with a job worker,
// the committed fixture model, and a small dataset of real train images.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixtureCritic, fixtureGenerator } from "@gridfill/generator/testing";
import { registerModelBytes } from "@gridfill/core/models/service.ts";
import { startTestApi, type TestApi } from "../../api/src/testing/harness.ts";
import { runGridfill, seedCrackDataset } from "./testing.ts";

let t: TestApi;

function gridfill(args: string[]) {
  return runGridfill(args, { GRIDFILL_URL: t.api.url, GRIDFILL_TOKEN: t.users.CURATOR.token });
}

before(async () => {
  t = await startTestApi({ GRIDFILL_FILL_BATCH: "4" }, { jobs: true });
  await seedCrackDataset(t, "line-9");
  await registerModelBytes({ prisma: t.db.prisma, storage: t.storage }, null, {
    name: "fixture",
    version: "1",
    generator: fixtureGenerator(),
    critic: fixtureCritic(),
    activate: true,
  });
});
after(() => t?.close());

test("fill --wait --json makes full-size composites; review --accept-all accepts every one", async () => {
  const filled = await gridfill([
    "fill",
    "--dataset",
    "line-9",
    "--class",
    "crack",
    "--count",
    "3",
    "--method",
    "copy-paste",
    "--hosts",
    "any",
    "--seed",
    "42",
    "--wait",
    "--json",
  ]);
  assert.equal(filled.code, 0, filled.stderr);
  const request = JSON.parse(filled.stdout) as {
    id: string;
    status: string;
    completed: number;
    method: string;
    output: string;
    seed: string;
    images: { width: number; height: number }[];
  };
  assert.equal(request.status, "SUCCEEDED");
  assert.equal(request.completed, 3);
  assert.deepEqual(
    [request.method, request.output, request.seed],
    ["COPY_PASTE", "COMPOSITE", "42"],
  );
  assert.deepEqual(
    request.images.map((i) => [i.width, i.height]),
    [
      [128, 96],
      [128, 96],
      [128, 96],
    ],
  );

  const reviewed = await gridfill(["review", "--request", request.id, "--accept-all", "--json"]);
  assert.equal(reviewed.code, 0, reviewed.stderr);
  assert.equal((JSON.parse(reviewed.stdout) as { changed: number }).changed, 3);
  const states = await t.db.prisma.image.findMany({
    where: { lineage: { requestId: request.id } },
    select: { reviewState: true },
  });
  assert.deepEqual(
    states.map((s) => s.reviewState),
    ["ACCEPTED", "ACCEPTED", "ACCEPTED"],
  );
});

test("fill --model picks a registered model by name, --best-of keeps the critic's best of n", async () => {
  const filled = await gridfill([
    "fill",
    "--dataset",
    "line-9",
    "--class",
    "crack",
    "--count",
    "2",
    "--method",
    "model",
    "--output",
    "crop",
    "--model",
    "fixture:1",
    "--best-of",
    "3",
    "--seed",
    "5",
    "--wait",
    "--json",
  ]);
  assert.equal(filled.code, 0, filled.stderr);
  const request = JSON.parse(filled.stdout) as { id: string; status: string; bestOf: number };
  assert.equal(request.status, "SUCCEEDED");
  assert.equal(request.bestOf, 3);
  const lineages = await t.db.prisma.lineage.findMany({
    where: { requestId: request.id },
    select: { modelSha256: true, selection: true },
  });
  assert.equal(lineages.length, 2);
  for (const l of lineages) assert.equal((l.selection as { of: number }).of, 3);
});

test("fill refuses bad flags and impossible options with a clear message, writing nothing", async () => {
  const before = await t.db.prisma.fillRequest.count();
  for (const [args, pattern] of [
    [["--count", "2", "--method", "paint"], /--method must be one of model, copy-paste/],
    [["--strategy", "to-max", "--count", "2"], /either --count N or --strategy/],
    [["--count", "2", "--method", "copy-paste", "--output", "crop"], /composites only/],
    [["--count", "2", "--best-of", "two"], /--best-of must be a whole number/],
    [["--count", "2", "--model", "nothing"], /no model "nothing" \(registered: fixture:1\)/],
    [["--count", "2", "--method", "copy-paste", "--best-of", "2"], /bestOf|best of/i],
  ] as const) {
    const r = await gridfill(["fill", "--dataset", "line-9", "--class", "crack", ...args]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, pattern);
  }
  const unknown = await gridfill([
    "fill",
    "--dataset",
    "line-9",
    "--class",
    "nest",
    "--count",
    "1",
  ]);
  assert.match(unknown.stderr, /has no class "nest"/);
  assert.equal(await t.db.prisma.fillRequest.count(), before);
});
