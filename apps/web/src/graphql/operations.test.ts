// The console's operations, checked against the API's SDL files: a renamed field or argument in
// the contract fails here rather than in a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { buildASTSchema, parse, validate, concatAST } from "graphql";
import type { Operation } from "./client";
import * as auth from "../auth/auth.graphql";
import * as datasets from "../datasets/datasets.graphql";
import * as classes from "../classes/classes.graphql";
import * as balance from "../balance/balance.graphql";
import * as images from "../images/images.graphql";
import * as annotations from "../annotations/annotations.graphql";

const apiSrc = path.resolve(import.meta.dirname, "../../../api/src");

function loadContract() {
  const files = [path.join(apiSrc, "schema.graphql")];
  for (const entry of readdirSync(apiSrc, { withFileTypes: true })) {
    const file = path.join(apiSrc, entry.name, "schema.graphql");
    if (entry.isDirectory() && existsSync(file)) files.push(file);
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

test("every console operation is valid against the API contract", () => {
  const schema = loadContract();
  const modules = { auth, datasets, classes, balance, images, annotations };
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
  assert.ok(checked >= 20, `checked ${checked} operations`);
});
