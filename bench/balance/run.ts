// Balance statistics and image-list benchmark on a 1M-image dataset.
//
//   node --import tsx bench/balance/run.ts [--images 1000000] [--calls 200] [--keep] [--docs|--no-docs]
//
// Loads a generated dataset into a fresh database, starts the real API in-process, and times
// `balance` and `images` (first page and deep pages) over HTTP, each against a baseline measured in
// the same run: the recount from annotations for balance, OFFSET paging for deep pages.
// Writes the "Balance statistics and image list" section of docs/benchmarks.md on full-size runs.
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { BenchApi } from "./api.ts";
import { dropDatabase, loadDataset, recreateDatabase, type LoadResult } from "./load.ts";
import {
  consoleTable,
  markdownSection,
  writeSection,
  type Finding,
  type Machine,
  type Report,
  type Row,
} from "./report.ts";
import { explainAnalyze, type RecordedQuery } from "./sql-recorder.ts";
import { measure, ms, type Summary } from "./stats.ts";

const DATABASE = "gridfill_bench_balance";
const FULL_SIZE = 1_000_000;
const DEEP = 500_000;
const PAGE = 50;
const BALANCE_TARGET_MS = 20;
const LIST_TARGET_MS = 50;
const WARMUP = 10;

const { values: args } = parseArgs({
  options: {
    images: { type: "string", default: String(FULL_SIZE) },
    calls: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
    docs: { type: "boolean" },
    "no-docs": { type: "boolean", default: false },
  },
});
const imageCount = Number(args.images);
const calls = Number(args.calls);
if (!Number.isInteger(imageCount) || imageCount < 1000)
  throw new Error("--images must be an integer ≥ 1000");
if (!Number.isInteger(calls) || calls < 1) throw new Error("--calls must be a positive integer");
// Smoke runs must not overwrite the published full-size numbers.
const writeDocs = args["no-docs"] ? false : (args.docs ?? imageCount >= FULL_SIZE);

const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const repoRoot = path.resolve(import.meta.dirname, "../..");
const log = (line: string) => console.log(line);

function commandLine(): string {
  const nice = os.getPriority();
  const argv = process.argv.slice(2).join(" ");
  return `${nice > 0 ? `nice -n ${nice} ` : ""}node --import tsx bench/balance/run.ts${argv ? " " + argv : ""}`;
}

async function machine(db: pg.Client): Promise<Machine> {
  const { rows } = await db.query<{ server_version: string }>("SHOW server_version");
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0]!.server_version.split(" ")[0]!,
  };
}

// ───────────────────────────── GraphQL documents ─────────────────────────────

const BALANCE = `query Balance($datasetId: ID!) {
  balance(datasetId: $datasetId) {
    unit total imbalanceRatio normalizedEntropy
    maxClass { id name } minClass { id name } emptyClasses { id }
    classes {
      defectClass { id name color }
      counted share images boxes real syntheticAccepted syntheticPending
      bySplit { split images boxes }
    }
  }
}`;

// The grid's fields; presigned URLs are left out (they sign per image, no database work).
const IMAGES = `query Images($datasetId: ID!, $filter: ImageFilter, $first: Int, $after: String) {
  images(datasetId: $datasetId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id filename width height split origin reviewState createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ME = `query Me { me { id } }`;

interface ImagesPage {
  images: {
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

// ───────────────────────────── baselines over pg ─────────────────────────────

/** The recount from annotations that the counters replace (the API's own `recomputeCounters`). */
const NAIVE_BALANCE = `
  SELECT a."classId"::text AS "classId", i.split::text AS split, i.origin::text AS origin,
         i."reviewState"::text AS "reviewState", count(DISTINCT i.id)::int AS images, count(*)::int AS boxes
  FROM "Annotation" a JOIN "Image" i ON i.id = a."imageId"
  WHERE i."datasetId" = $1
  GROUP BY a."classId", i.split, i.origin, i."reviewState"
  ORDER BY 1, 2, 3, 4`;

const COUNTERS = `
  SELECT "classId"::text AS "classId", split::text AS split, origin::text AS origin,
         "reviewState"::text AS "reviewState", images, boxes
  FROM "ClassCounter" WHERE "datasetId" = $1 AND (images <> 0 OR boxes <> 0)
  ORDER BY 1, 2, 3, 4`;

async function naiveBaseline(
  db: pg.Client,
  datasetId: string,
): Promise<{ summary: Summary; consistent: boolean }> {
  const t = performance.now();
  const first = await db.query(NAIVE_BALANCE, [datasetId]);
  const firstMs = performance.now() - t;
  const counters = await db.query(COUNTERS, [datasetId]);
  const consistent = JSON.stringify(first.rows) === JSON.stringify(counters.rows);
  // A recount of millions of rows takes seconds: fewer calls keep the run within minutes.
  const n = firstMs > 100 ? Math.min(calls, 20) : calls;
  log(`Naive balance: first call ${ms(firstMs)} ms; timing ${n} calls…`);
  const summary = await measure(n, 1, () => db.query(NAIVE_BALANCE, [datasetId]));
  return { summary, consistent };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const started = new Date();
  log(
    `gridfill balance benchmark: ${imageCount.toLocaleString("en-US")} images, ${calls} calls per scenario`,
  );
  const databaseUrl = await recreateDatabase(adminUrl, DATABASE);
  let api: BenchApi | undefined;
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    const load = await loadDataset(databaseUrl, imageCount, log);
    for (const t of load.tables) {
      log(
        `${t.table}: ${t.rows.toLocaleString("en-US")} rows in ${(t.ms / 1000).toFixed(1)} s (${Math.round(t.rows / (t.ms / 1000)).toLocaleString("en-US")} rows/s)`,
      );
    }
    log(
      `Indexes: ${(load.indexMs / 1000).toFixed(1)} s; VACUUM ANALYZE: ${(load.vacuumAnalyzeMs / 1000).toFixed(1)} s; total ${(load.totalMs / 1000).toFixed(1)} s`,
    );
    await db.connect();

    const rows: Row[] = [];
    const notes: string[] = [];
    const findings: Finding[] = [];
    const plans: { scenario: string; queries: RecordedQuery[] }[] = [];

    // Balance baseline first, while the API is not yet competing for the cores.
    const naive = await naiveBaseline(db, load.datasetId);
    if (!naive.consistent)
      throw new Error("the counters disagree with the recount from annotations");
    notes.push(
      "The loaded ClassCounter rows equal the recount from annotations (checked in the run).",
    );

    log("Starting the API…");
    // Loaded here, after the data and the baseline, so that a broken API build still reports them.
    const { startBenchApi } = await import("./api.ts");
    api = await startBenchApi(databaseUrl);
    const gql = api.gql;

    // ── balance ──
    log(`balance: ${calls} calls…`);
    const balance = await measure(calls, WARMUP, () => gql(BALANCE, { datasetId: load.datasetId }));
    rows.push({ name: "balance", via: "GraphQL", summary: balance, target: BALANCE_TARGET_MS });
    rows.push({ name: "balance recount (baseline)", via: "pg", summary: naive.summary });
    const balanceService = await measure(calls, WARMUP, () =>
      api!.services.balance(load.datasetId),
    );
    rows.push({ name: "balance, service in-process", via: "in-process", summary: balanceService });
    // The fixed cost of any signed-in request: HTTP, parsing, validation, cost guard, session lookup.
    const floor = await measure(calls, WARMUP, () => gql(ME));
    rows.push({ name: "GraphQL floor (`me`)", via: "GraphQL", summary: floor });
    plans.push({
      scenario: "balance",
      queries: await api.recorder.capture(() => gql(BALANCE, { datasetId: load.datasetId })),
    });

    // ── image list ──
    const lists = await imageListScenarios(db, api, load);
    rows.push(...lists.rows);
    notes.push(...lists.notes);
    plans.push(...lists.plans);

    // ── findings: explain what the API ran for every scenario that missed its target ──
    for (const row of rows) {
      if (row.target === undefined || row.summary.p95 <= row.target) continue;
      const captured = plans.find((p) => p.scenario === row.name);
      const parts: string[] = [`p95 ${ms(row.summary.p95)} ms > ${row.target} ms.`];
      if (captured) {
        const dbMs = captured.queries.reduce((s, q) => s + q.ms, 0);
        parts.push(
          `One call ran ${captured.queries.length} statement(s), ${ms(dbMs)} ms in the database.`,
        );
        log(`\n=== ${row.name}: statements and plans ===`);
        let slowest = 0;
        for (const q of captured.queries) {
          log(`-- ${ms(q.ms)} ms\n${q.text.trim()}\n-- params: ${JSON.stringify(q.values)}`);
          const plan = await explainAnalyze(db, q);
          if (!plan) continue;
          log(plan);
          const executed = /Execution Time: ([\d.]+) ms/.exec(plan);
          if (executed) slowest = Math.max(slowest, Number(executed[1]));
        }
        parts.push(
          `By EXPLAIN ANALYZE, the slowest of them executes in ${ms(slowest)} ms (plans in the run's output).`,
        );
      }
      const service = rows.find((r) => r.name === `${row.name}, service in-process`)?.summary;
      const floorRow = rows.find((r) => r.name === "GraphQL floor (`me`)")?.summary;
      if (service)
        parts.push(
          `The service alone (in-process, no HTTP): p50 ${ms(service.p50)} ms, p95 ${ms(service.p95)} ms.`,
        );
      if (floorRow)
        parts.push(
          `A trivial signed-in query (\`me\`): p50 ${ms(floorRow.p50)} ms, p95 ${ms(floorRow.p95)} ms.`,
        );
      findings.push({ scenario: row.name, text: parts.join(" ") });
    }

    const speedup = (name: string, baseline: string) => {
      const a = rows.find((r) => r.name === name)?.summary;
      const b = rows.find((r) => r.name === baseline)?.summary;
      return a && b ? [{ name, baseline, byP50: b.p50 / a.p50, byMean: b.mean / a.mean }] : [];
    };
    const report: Report = {
      date: started.toISOString().slice(0, 10),
      command: commandLine(),
      machine: await machine(db),
      load,
      rows,
      speedups: [
        ...speedup("balance", "balance recount (baseline)"),
        ...lists.speedups.flatMap(([a, b]) => speedup(a, b)),
      ],
      notes,
      findings,
    };
    log("\n" + consoleTable(report));
    if (writeDocs) {
      writeSection(path.join(repoRoot, "docs/benchmarks.md"), markdownSection(report));
      log("\nWrote docs/benchmarks.md (section “Balance statistics and image list”).");
    } else {
      log("\n(docs/benchmarks.md left as it is: smoke run; --docs writes it anyway)");
    }
  } finally {
    await api?.close();
    await db.end().catch(() => {});
    if (!args.keep) await dropDatabase(adminUrl, DATABASE);
    else log(`Kept database ${DATABASE}.`);
  }
}

// ───────────────────────────── image list ─────────────────────────────

interface ListScenarios {
  rows: Row[];
  notes: string[];
  plans: { scenario: string; queries: RecordedQuery[] }[];
  speedups: [string, string][];
}

async function imageListScenarios(
  db: pg.Client,
  api: BenchApi,
  load: LoadResult,
): Promise<ListScenarios> {
  const out: ListScenarios = { rows: [], notes: [], plans: [], speedups: [] };
  // The largest class among real train images: the deepest class-filtered grid there is.
  const largest = await db.query<{ classId: string; images: number }>(
    `SELECT "classId"::text AS "classId", sum(images)::int AS images FROM "ClassCounter"
      WHERE "datasetId" = $1 AND split = 'TRAIN' AND origin = 'REAL' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    [load.datasetId],
  );
  const cls = largest.rows[0]!;
  const className = load.classes.find((c) => c.id === cls.classId)?.name ?? cls.classId;
  const classFilter = { classId: cls.classId, splits: ["TRAIN"], origin: "REAL" };
  const trainFilter = { splits: ["TRAIN"], origin: "REAL" };

  const page = (filter: object, after: string | null) =>
    api.gql<ImagesPage>(IMAGES, { datasetId: load.datasetId, filter, first: PAGE, after });

  // Same order and cursor as the API (see keyset.ts below): the id of the row at `depth`.
  const classIdAt = (depth: number) => keyset.classIdAt(db, load.datasetId, cls.classId, depth);
  const trainIdAt = (depth: number) => keyset.trainIdAt(db, load.datasetId, depth);

  // The cursor built here must be the one the API hands out, or the deep pages would measure nothing.
  const first = await page(classFilter, null);
  const firstEdges = first.images.edges;
  if (firstEdges.length !== Math.min(PAGE, cls.images))
    throw new Error(`first page has ${firstEdges.length} images`);
  const expectedFirst = await classIdAt(1);
  if (firstEdges[0]!.node.id !== expectedFirst)
    throw new Error(
      `API order differs from the benchmark's: ${firstEdges[0]!.node.id} ≠ ${expectedFirst}`,
    );
  const lastOnPage = firstEdges.at(-1)!;
  if (keyset.cursor(lastOnPage.node.id) !== lastOnPage.cursor)
    throw new Error("cursor encoding differs from the API's");

  const classDepth = Math.min(DEEP, cls.images - PAGE);
  const trainCount = Number(
    (
      await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM "Image" WHERE "datasetId" = $1 AND split = 'TRAIN' AND origin = 'REAL'`,
        [load.datasetId],
      )
    ).rows[0]!.n,
  );
  const trainDepth = Math.min(DEEP, trainCount - PAGE);

  const scenarios: {
    name: string;
    filter: object;
    depth: number;
    idAt: (d: number) => Promise<string>;
    offsetSql: string | null;
    offsetArgs: unknown[];
  }[] = [
    {
      name: `images, class first page`,
      filter: classFilter,
      depth: 0,
      idAt: classIdAt,
      offsetSql: null,
      offsetArgs: [],
    },
    {
      name: `images, class deep page`,
      filter: classFilter,
      depth: classDepth,
      idAt: classIdAt,
      offsetSql: keyset.classOffsetSql,
      offsetArgs: [load.datasetId, cls.classId, classDepth],
    },
    {
      name: `images, train first page`,
      filter: trainFilter,
      depth: 0,
      idAt: trainIdAt,
      offsetSql: null,
      offsetArgs: [],
    },
    {
      name: `images, train deep page`,
      filter: trainFilter,
      depth: trainDepth,
      idAt: trainIdAt,
      offsetSql: keyset.trainOffsetSql,
      offsetArgs: [load.datasetId, trainDepth],
    },
  ];
  for (const s of scenarios) {
    const after = s.depth === 0 ? null : keyset.cursor(await s.idAt(s.depth));
    // The page must start right after the cursor's row, and be full.
    const check = await page(s.filter, after);
    const expected = await s.idAt(s.depth + 1);
    if (check.images.edges[0]?.node.id !== expected || check.images.edges.length !== PAGE) {
      throw new Error(`${s.name}: page at depth ${s.depth} does not start at the expected image`);
    }
    log(`${s.name} (depth ${s.depth.toLocaleString("en-US")}): ${calls} calls…`);
    const summary = await measure(calls, WARMUP, () => page(s.filter, after));
    out.rows.push({ name: s.name, via: "GraphQL", summary, target: LIST_TARGET_MS });
    out.plans.push({
      scenario: s.name,
      queries: await api.recorder.capture(() => page(s.filter, after)),
    });
    if (s.depth > 0) {
      const service = await measure(calls, WARMUP, () =>
        api.services.images(load.datasetId, s.filter, PAGE, after),
      );
      out.rows.push({ name: `${s.name}, service in-process`, via: "in-process", summary: service });
    }
    if (s.offsetSql) {
      const offsetCalls = Math.min(calls, 5);
      const base = await measure(offsetCalls, 1, () => db.query(s.offsetSql!, s.offsetArgs));
      const baseName = `${s.name}, OFFSET (baseline)`;
      out.rows.push({ name: baseName, via: "pg", summary: base });
      out.speedups.push([s.name, baseName]);
    }
  }
  out.notes.push(
    `Class filter: the largest class, \`${className}\`, ${cls.images.toLocaleString("en-US")} real train images; its deep page starts after row ${classDepth.toLocaleString("en-US")} ` +
      `(as deep as the class allows, at most ${DEEP.toLocaleString("en-US")}). The train filter (splits [TRAIN], origin REAL, no class) matches ${trainCount.toLocaleString("en-US")} images; its deep page starts after row ${trainDepth.toLocaleString("en-US")}.`,
    `Pages of ${PAGE}; deep-page cursors are built from the id at that depth, read from the database in the API's order, and checked against the API's own cursors and first rows. OFFSET baselines run the same query with OFFSET instead of a cursor, over pg (no HTTP), ${Math.min(calls, 5)} calls each.`,
    `Each GraphQL scenario: ${WARMUP} warm-up calls, then sequential calls over one keep-alive connection, signed in as an admin.`,
  );
  return out;
}

/** How the API pages images: filled in from apps/api/src/images. */
const keyset = {
  cursor(id: string): string {
    return Buffer.from(id, "utf8").toString("base64url");
  },
  async classIdAt(
    db: pg.Client,
    datasetId: string,
    classId: string,
    depth: number,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT "imageId"::text AS id FROM "ImageClass"
        WHERE "datasetId" = $1 AND "classId" = $2 AND split = 'TRAIN' AND origin = 'REAL'
        ORDER BY "imageId" OFFSET $3 LIMIT 1`,
      [datasetId, classId, depth - 1],
    );
    return rows[0]!.id;
  },
  async trainIdAt(db: pg.Client, datasetId: string, depth: number): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM "Image" WHERE "datasetId" = $1 AND split = 'TRAIN' AND origin = 'REAL'
        ORDER BY id OFFSET $2 LIMIT 1`,
      [datasetId, depth - 1],
    );
    return rows[0]!.id;
  },
  classOffsetSql: `
    SELECT i.* FROM "ImageClass" ic JOIN "Image" i ON i.id = ic."imageId"
     WHERE ic."datasetId" = $1 AND ic."classId" = $2 AND ic.split = 'TRAIN' AND ic.origin = 'REAL'
     ORDER BY ic."imageId" OFFSET $3 LIMIT ${PAGE + 1}`,
  trainOffsetSql: `
    SELECT i.* FROM "Image" i WHERE i."datasetId" = $1 AND i.split = 'TRAIN' AND i.origin = 'REAL'
     ORDER BY i.id OFFSET $2 LIMIT ${PAGE + 1}`,
};

await main();
