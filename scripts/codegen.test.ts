// The API's resolver types are generated from its SDL and committed: a schema change without
// `npm run codegen` fails here, before a resolver can drift from the contract it claims to serve.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { generate } from "@graphql-codegen/cli";
import * as prettier from "prettier";
import config, { API_TYPES_FILE } from "../codegen.ts";

const root = path.resolve(import.meta.dirname, "..");
const committedFile = path.join(root, API_TYPES_FILE);

test("the committed resolver types are what codegen makes of the SDL", async () => {
  const [output] = await generate({ ...config, silent: true, hooks: {} }, false);
  assert.ok(output, "codegen produced no file");
  assert.equal(path.resolve(output.filename), committedFile);
  const options = await prettier.resolveConfig(committedFile);
  const fresh = await prettier.format(output.content, { ...options, filepath: committedFile });
  assert.ok(
    fresh === readFileSync(committedFile, "utf8"),
    `${API_TYPES_FILE} is out of date with the SDL: run \`npm run codegen\` and commit the result`,
  );
});
