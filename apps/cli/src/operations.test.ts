// The command line's GraphQL operations, checked against the API's SDL files like the console's
// are (apps/web/src/graphql/operations.test.ts): a renamed field or argument in the contract fails
// here, not in a user's terminal. Operations are the string and template literals of the CLI's
// sources that start with `query`, `mutation` or `subscription`; `${NAME}` interpolations are
// filled from a constant of the same file.
import assert from "node:assert/strict";
import { globSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { buildASTSchema, concatAST, parse, validate } from "graphql";

const cliSrc = import.meta.dirname;
const apiSrc = path.resolve(cliSrc, "../../api/src");

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

/** Every operation literal of a source file, with its interpolations filled in. */
export function operationsOf(source: string): string[] {
  const constants = new Map<string, string>();
  for (const m of source.matchAll(/const ([A-Z_]+) =\s*(?:"([^"]*)"|`([^`]*)`)/g))
    constants.set(m[1]!, m[2] ?? m[3]!);
  const literals = [...source.matchAll(/`([^`]*)`|"((?:query|mutation|subscription) [^"]*)"/g)].map(
    (m) => m[1] ?? m[2]!,
  );
  return literals
    .map((text) =>
      text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => constants.get(name) ?? whole),
    )
    .filter((text) => /^\s*(query|mutation|subscription)\s+\w+/.test(text));
}

test("every operation the command line sends is valid against the API's schema", () => {
  const schema = loadContract();
  const files = globSync("**/*.ts", { cwd: cliSrc }).filter((f) => !f.endsWith(".test.ts"));
  let checked = 0;
  for (const file of files) {
    for (const text of operationsOf(readFileSync(path.join(cliSrc, file), "utf8"))) {
      assert.doesNotMatch(text, /\$\{/, `${file}: an interpolation the test cannot fill`);
      const errors = validate(schema, parse(text));
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
        `${file}: ${text.trim().split("\n")[0]}`,
      );
      checked += 1;
    }
  }
  assert.ok(checked >= 10, `found only ${checked} operations: the extraction is broken`);
});

test("the extraction finds operations, fills constants, and the check catches a wrong field", () => {
  const source =
    'const FIELDS = "id status";\nconst q = `query CliX($id: ID!) { exportJob(id: $id) { ${FIELDS} nope } }`;';
  const [text] = operationsOf(source);
  assert.equal(text, "query CliX($id: ID!) { exportJob(id: $id) { id status nope } }");
  const errors = validate(loadContract(), parse(text!));
  assert.match(errors[0]?.message ?? "", /nope/);
});
