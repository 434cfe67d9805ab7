// The console's operations, checked against the API's SDL files: a renamed field or argument in
// the contract fails here rather than in a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildASTSchema, parse, validate, concatAST } from "graphql";
import type { Operation } from "./client";

const consoleSrc = path.resolve(import.meta.dirname, "..");
const apiSrc = path.resolve(import.meta.dirname, "../../../api/src");

/** Every `<domain>/*.graphql.ts` of the console, so a new domain is checked without listing it. */
async function loadOperationModules(): Promise<Record<string, Record<string, unknown>>> {
  const modules: Record<string, Record<string, unknown>> = {};
  for (const entry of readdirSync(consoleSrc, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(consoleSrc, entry.name);
    for (const file of readdirSync(dir)) {
      if (!file.endsWith(".graphql.ts")) continue;
      modules[`${entry.name}/${file}`] = (await import(path.join(dir, file))) as Record<
        string,
        unknown
      >;
    }
  }
  return modules;
}

function loadContract() {
  const files = [path.join(apiSrc, "schema.graphql")];
  for (const entry of readdirSync(apiSrc, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    // A domain's SDL may be split into several .graphql files (apps/api/src/schema.ts).
    const dir = path.join(apiSrc, entry.name);
    for (const file of readdirSync(dir).sort())
      if (file.endsWith(".graphql")) files.push(path.join(dir, file));
  }
  return buildASTSchema(concatAST(files.map((file) => parse(readFileSync(file, "utf8")))));
}

function isOperation(value: unknown): value is Operation<unknown, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { document?: unknown }).document === "string"
  );
}

test("every console operation is valid against the API contract", async () => {
  const schema = loadContract();
  const modules = await loadOperationModules();
  // The domains that must be there: a rename that hides one from the scan fails here.
  for (const domain of [
    "auth",
    "datasets",
    "classes",
    "balance",
    "images",
    "annotations",
    "imports",
    "versions",
    "exports",
    "iot",
    "fills",
    "models",
  ])
    assert.ok(
      Object.keys(modules).some((key) => key.startsWith(`${domain}/`)),
      `no operations found for ${domain}`,
    );
  let checked = 0;
  for (const [domain, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (!isOperation(value)) continue;
      const errors = validate(schema, parse(value.document));
      assert.deepEqual(
        errors.map((error) => error.message),
        [],
        `${domain}.${name}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 28, `checked ${checked} operations`);
});
