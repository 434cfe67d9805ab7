// Builds the benchmark database: a fresh database with the real migrations, then the generated
// dataset bulk-loaded with COPY. Indexes and constraints are dropped for the load and rebuilt
// afterwards from their own definitions (one sorted build per index is far cheaper than 3M
// incremental inserts), and the result is checked to match the migrated schema exactly.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations } from "@gridfill/db";
import { CLASS_COUNT, CLASS_NAMES, Rng, generateImages, uuidV7 } from "./generate.ts";
import type { GenImage } from "./generate.ts";

export interface TableLoad {
  table: string;
  rows: number;
  ms: number;
}

export interface LoadResult {
  databaseUrl: string;
  datasetId: string;
  classes: { id: string; name: string }[];
  tables: TableLoad[];
  /** Rebuilding primary keys, indexes and foreign keys after the load. */
  indexMs: number;
  vacuumAnalyzeMs: number;
  totalMs: number;
  images: number;
  boxes: number;
  imageClasses: number;
  counters: number;
  databaseBytes: number;
}

/** The tables the load fills; their indexes and constraints are rebuilt after it. */
const LOADED = ["Image", "Annotation", "ImageClass", "ClassCounter"];
const ROWS_PER_CHUNK = 2000;
const PROGRESS_EVERY = 100_000;

export function databaseUrlFor(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = "/" + encodeURIComponent(name);
  return u.toString();
}

export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlFor(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

interface SchemaObjects {
  /** Primary-key and unique constraints. */
  keys: { table: string; name: string; def: string }[];
  /** Indexes not backing a constraint. */
  indexes: { name: string; def: string }[];
  /** Foreign keys on or into the loaded tables. */
  foreignKeys: { table: string; name: string; def: string }[];
}

async function schemaObjects(client: pg.Client): Promise<SchemaObjects> {
  const tables = LOADED.map((t) => `'public."${t}"'::regclass`).join(", ");
  const keys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid IN (${tables}) ORDER BY 1, 2`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def
       FROM pg_index i WHERE indrelid IN (${tables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1`,
  );
  const foreignKeys = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND (conrelid IN (${tables}) OR confrelid IN (${tables})) ORDER BY 1, 2`,
  );
  return { keys: keys.rows, indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/** Every index definition on the loaded tables, for the before/after comparison. */
async function indexFingerprint(client: pg.Client): Promise<string[]> {
  const tables = LOADED.map((t) => `'public."${t}"'::regclass`).join(", ");
  const { rows } = await client.query<{ def: string }>(
    `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid IN (${tables}) ORDER BY 1`,
  );
  const fks = await client.query<{ def: string }>(
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND (conrelid IN (${tables}) OR confrelid IN (${tables})) ORDER BY 1`,
  );
  return [...rows.map((r) => r.def), ...fks.rows.map((r) => r.def)];
}

function ts(ms: number): string {
  return new Date(ms).toISOString();
}

async function copyRows(
  client: pg.Client,
  table: string,
  columns: string[],
  rows: Iterable<string>,
  log: (line: string) => void,
): Promise<TableLoad> {
  const started = performance.now();
  let count = 0;
  let nextReport = PROGRESS_EVERY;
  function* chunks(): Generator<string> {
    let buf: string[] = [];
    for (const row of rows) {
      buf.push(row);
      count++;
      if (buf.length === ROWS_PER_CHUNK) {
        yield buf.join("");
        buf = [];
      }
      if (count === nextReport) {
        const s = (performance.now() - started) / 1000;
        log(`  ${table}: ${count.toLocaleString("en-US")} rows, ${s.toFixed(1)} s`);
        nextReport += PROGRESS_EVERY;
      }
    }
    if (buf.length) yield buf.join("");
  }
  const cols = columns.map((c) => `"${c}"`).join(", ");
  const sink = client.query(copyFrom(`COPY "${table}" (${cols}) FROM STDIN`));
  await pipeline(Readable.from(chunks(), { objectMode: false }), sink);
  return { table, rows: count, ms: performance.now() - started };
}

const NULL = "\\N";

function* imageRows(count: number, datasetId: string): Generator<string> {
  for (const im of generateImages(count)) {
    const created = ts(im.createdMs);
    yield (
      [
        im.id,
        datasetId,
        im.sha256,
        `images/${im.sha256.slice(0, 2)}/${im.sha256.slice(2, 4)}/${im.sha256}.jpg`,
        "image/jpeg",
        im.width,
        im.height,
        im.bytes,
        im.origin === "REAL"
          ? `DJI_${String(im.index).padStart(7, "0")}.JPG`
          : `synthetic_${im.index}.png`,
        im.split,
        im.origin,
        im.reviewState,
        `{${im.tags.join(",")}}`,
        im.capturedMs === null ? NULL : ts(im.capturedMs),
        im.latitude ?? NULL,
        im.longitude ?? NULL,
        created,
        created,
      ].join("\t") + "\n"
    );
  }
}

function* annotationRows(count: number, classIds: string[]): Generator<string> {
  for (const im of generateImages(count)) {
    const source =
      im.origin === "SYNTHETIC" ? "GENERATED" : im.index % 4 === 0 ? "HUMAN" : "IMPORTED";
    for (let b = 0; b < im.boxes.length; b++) {
      const box = im.boxes[b]!;
      const at = ts(im.createdMs + b);
      yield `${box.id}\t${im.id}\t${classIds[box.classIndex]}\t${box.x}\t${box.y}\t${box.width}\t${box.height}\t${source}\t${at}\t${at}\n`;
    }
  }
}

/** Key of a ClassCounter row. */
function counterKey(classIndex: number, im: GenImage): string {
  return `${classIndex}\t${im.split}\t${im.origin}\t${im.reviewState}`;
}

function* imageClassRows(
  count: number,
  datasetId: string,
  classIds: string[],
  counters: Map<string, { images: number; boxes: number }>,
): Generator<string> {
  const perClass = new Int32Array(CLASS_COUNT);
  for (const im of generateImages(count)) {
    perClass.fill(0);
    for (const box of im.boxes) perClass[box.classIndex]!++;
    for (let c = 0; c < CLASS_COUNT; c++) {
      const boxes = perClass[c]!;
      if (boxes === 0) continue;
      const key = counterKey(c, im);
      const counter = counters.get(key) ?? { images: 0, boxes: 0 };
      counter.images += 1;
      counter.boxes += boxes;
      counters.set(key, counter);
      yield `${im.id}\t${classIds[c]}\t${datasetId}\t${im.split}\t${im.origin}\t${im.reviewState}\t${boxes}\n`;
    }
  }
}

export async function loadDataset(
  databaseUrl: string,
  imageCount: number,
  log: (line: string) => void,
): Promise<LoadResult> {
  const started = performance.now();
  await applyMigrations(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '512MB'");

    const idRng = new Rng(7);
    const now = Date.UTC(2023, 0, 1);
    const datasetId = uuidV7(now, idRng);
    const classes = CLASS_NAMES.map((name, i) => ({ id: uuidV7(now + 1 + i, idRng), name }));
    const classIds = classes.map((c) => c.id);
    await client.query(
      `INSERT INTO "Dataset" (id, name, description, "createdAt", "updatedAt") VALUES ($1, 'powerline-inspection-bench', 'Benchmark dataset', $2, $2)`,
      [datasetId, ts(now)],
    );
    for (const c of classes) {
      await client.query(
        `INSERT INTO "DefectClass" (id, "datasetId", name, title, "createdAt") VALUES ($1, $2, $3, $4, $5)`,
        [c.id, datasetId, c.name, c.name.replaceAll("_", " "), ts(now)],
      );
    }

    // Drop in dependency order: foreign keys, then keys (their indexes go with them), then indexes.
    const before = await indexFingerprint(client);
    const objects = await schemaObjects(client);
    for (const fk of objects.foreignKeys)
      await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
    for (const k of objects.keys)
      await client.query(`ALTER TABLE ${k.table} DROP CONSTRAINT "${k.name}"`);
    for (const ix of objects.indexes) await client.query(`DROP INDEX ${ix.name}`);
    // Autovacuum would start on the half-loaded tables and compete for the two cores.
    for (const t of LOADED)
      await client.query(`ALTER TABLE "${t}" SET (autovacuum_enabled = false)`);

    const tables: TableLoad[] = [];
    log(`Loading ${imageCount.toLocaleString("en-US")} images…`);
    tables.push(
      await copyRows(
        client,
        "Image",
        [
          "id",
          "datasetId",
          "sha256",
          "objectKey",
          "mimeType",
          "width",
          "height",
          "bytes",
          "filename",
          "split",
          "origin",
          "reviewState",
          "tags",
          "capturedAt",
          "latitude",
          "longitude",
          "createdAt",
          "updatedAt",
        ],
        imageRows(imageCount, datasetId),
        log,
      ),
    );
    log("Loading annotations…");
    tables.push(
      await copyRows(
        client,
        "Annotation",
        [
          "id",
          "imageId",
          "classId",
          "x",
          "y",
          "width",
          "height",
          "source",
          "createdAt",
          "updatedAt",
        ],
        annotationRows(imageCount, classIds),
        log,
      ),
    );
    log("Loading image classes…");
    const counters = new Map<string, { images: number; boxes: number }>();
    tables.push(
      await copyRows(
        client,
        "ImageClass",
        ["imageId", "classId", "datasetId", "split", "origin", "reviewState", "boxes"],
        imageClassRows(imageCount, datasetId, classIds, counters),
        log,
      ),
    );
    const counterRows = [...counters.entries()].map(([key, v]) => {
      const [c, split, origin, review] = key.split("\t");
      return `${datasetId}\t${classIds[Number(c)]}\t${split}\t${origin}\t${review}\t${v.images}\t${v.boxes}\n`;
    });
    tables.push(
      await copyRows(
        client,
        "ClassCounter",
        ["datasetId", "classId", "split", "origin", "reviewState", "images", "boxes"],
        counterRows,
        log,
      ),
    );

    log("Rebuilding keys, indexes and foreign keys…");
    const indexStarted = performance.now();
    for (const k of objects.keys)
      await client.query(`ALTER TABLE ${k.table} ADD CONSTRAINT "${k.name}" ${k.def}`);
    for (const ix of objects.indexes) {
      const t = performance.now();
      await client.query(ix.def);
      log(`  ${ix.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    for (const fk of objects.foreignKeys)
      await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.def}`);
    const indexMs = performance.now() - indexStarted;
    for (const t of LOADED) await client.query(`ALTER TABLE "${t}" RESET (autovacuum_enabled)`);

    const after = await indexFingerprint(client);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      throw new Error(
        `index set differs from the migrated schema:\nbefore: ${before.join("\n")}\nafter: ${after.join("\n")}`,
      );
    }

    // VACUUM as well as ANALYZE: a long-lived database has had autovacuum set the visibility map,
    // which index-only scans depend on; a freshly loaded one has not.
    log("VACUUM ANALYZE…");
    const vacuumStarted = performance.now();
    for (const t of LOADED) await client.query(`VACUUM (ANALYZE) "${t}"`);
    await client.query("ANALYZE");
    const vacuumAnalyzeMs = performance.now() - vacuumStarted;

    const size = await client.query<{ bytes: string }>(
      "SELECT pg_database_size(current_database()) AS bytes",
    );
    const [images, boxes, imageClasses] = [tables[0]!.rows, tables[1]!.rows, tables[2]!.rows];
    return {
      databaseUrl,
      datasetId,
      classes,
      tables,
      indexMs,
      vacuumAnalyzeMs,
      totalMs: performance.now() - started,
      images,
      boxes,
      imageClasses,
      counters: counterRows.length,
      databaseBytes: Number(size.rows[0]!.bytes),
    };
  } finally {
    await client.end();
  }
}
