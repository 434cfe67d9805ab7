// The GraphQL operations the CLI and the benchmarks send, checked against the API's SDL files: a
// renamed field or a new required argument fails here rather than in a user's terminal. The
// operations are the string and template literals that start with `query`, `mutation` or
// `subscription`; a `${NAME}` inside one is replaced by the same file's `const NAME = "…"`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, globSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { buildASTSchema, concatAST, parse, validate } from "graphql";
import { loadTypeDefs } from "../../api/src/sdl.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const OPERATION = /^\s*(query|mutation|subscription)\b/;

/** The file's top-level and nested `const NAME = <string or template without substitutions>`. */
function constantsOf(source: ts.SourceFile): Map<string, string> {
  const constants = new Map<string, string>();
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer))
    )
      constants.set(node.name.text, node.initializer.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return constants;
}

/** Every operation literal of a file, with its line, `${NAME}`s filled in from the file's constants. */
function operationsOf(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const constants = constantsOf(source);
  const found: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) {
      text = node.head.text;
      for (const span of node.templateSpans) {
        const name = ts.isIdentifier(span.expression) ? span.expression.text : null;
        const value = name ? constants.get(name) : undefined;
        if (value === undefined) {
          text = null; // built at run time from something else: not a fixed operation
          break;
        }
        text += value + span.literal.text;
      }
    }
    if (text !== null && OPERATION.test(text))
      found.push({
        line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
        text,
      });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("every GraphQL operation of the CLI and the benchmarks is valid against the API contract", () => {
  const schema = buildASTSchema(concatAST(loadTypeDefs().map((sdl) => parse(sdl))));
  const files = globSync(["apps/cli/src/**/*.ts", "bench/**/*.ts"], { cwd: root })
    .filter((f) => !f.endsWith(".test.ts"))
    .sort();
  let checked = 0;
  const problems: string[] = [];
  for (const file of files) {
    for (const { line, text } of operationsOf(path.join(root, file))) {
      checked++;
      let messages: string[];
      try {
        messages = validate(schema, parse(text)).map((e) => e.message);
      } catch (error) {
        messages = [(error as Error).message];
      }
      for (const message of messages) problems.push(`${file}:${line}: ${message}`);
    }
  }
  assert.deepEqual(problems, []);
  // The scan finds the commands' operations: fill, import, export, review, model, predictions…
  assert.ok(checked >= 30, `only ${checked} operations found`);
});

test("the scan sees an operation that is not valid", () => {
  const schema = buildASTSchema(concatAST(loadTypeDefs().map((sdl) => parse(sdl))));
  const errors = validate(
    schema,
    parse(`mutation { requestImportUpload(datasetId: "x") { key } }`),
  );
  assert.match(errors.map((e) => e.message).join("\n"), /bytes.*required/);
});
