import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffSchemaAgainstMigrations } from "./migrate.ts";
import { defaultSchemaPath } from "./paths.ts";

test("the migrations and prisma/schema.prisma agree", async () => {
  const sql = await diffSchemaAgainstMigrations();
  assert.equal(
    sql,
    "",
    `prisma/schema.prisma differs from prisma/migrations; add a migration (npm run db:migration -- NAME):\n${sql}`,
  );
});

test("the agreement check notices a schema change", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gridfill-schema-"));
  try {
    const schema = await readFile(defaultSchemaPath, "utf8");
    const changed = schema.replace(
      /model Dataset \{\n/,
      "model Dataset {\n  scratchNote String?\n",
    );
    assert.notEqual(changed, schema);
    const scratch = join(dir, "schema.prisma");
    await writeFile(scratch, changed);
    const sql = await diffSchemaAgainstMigrations({ schemaPath: scratch });
    assert.match(sql, /ALTER TABLE "Dataset" ADD COLUMN\s+"scratchNote" TEXT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
