// What the guard checks before execution. Every root field must say who may call it: exactly one of @auth(requires: …) or @public. A new
// field without a declaration fails here (and is refused at run time anyway: fail closed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, type OperationDefinitionNode } from "graphql";
import { buildSchema } from "../schema.ts";
import { accessRules, assertOperationAllowed, rootFieldNames } from "./access.ts";
import { operationCost } from "../cost.ts";
import type { Caller, Role } from "../context.ts";

const schema = buildSchema();
const rules = accessRules(schema);

test("every root Query, Mutation and Subscription field carries exactly one of @auth / @public", () => {
  const roots = [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ].filter((t) => t != null);
  let fields = 0;
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      fields++;
      const names = (field.astNode?.directives ?? [])
        .map((d) => d.name.value)
        .filter((n) => n === "auth" || n === "public");
      assert.equal(
        names.length,
        1,
        `${root.name}.${field.name} declares ${names.length ? names.join(" and ") : "no access rule"}`,
      );
    }
  }
  assert.ok(fields > 20);
  assert.ok([...rules.values()].every((r) => r.kind === "public" || r.kind === "role"));
});

const caller = (role: Role): Caller => ({
  id: "u",
  email: "u@x",
  name: "u",
  role,
  via: { kind: "apiToken", tokenId: "t" },
});

function check(source: string, who: Caller | null): string {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === "OperationDefinition");
  try {
    assertOperationAllowed(schema, rules, document, operation as never, who);
    return "allowed";
  } catch (error) {
    return String((error as { extensions?: { code?: string } }).extensions?.code);
  }
}

test("root fields hidden in fragments are checked too", () => {
  const source = `query Q { ...F ... on Query { me { id } } } fragment F on Query { users { id } }`;
  assert.deepEqual(rootFieldNames(parse(source), parse(source).definitions[0] as never).sort(), [
    "me",
    "users",
  ]);
  assert.equal(check(source, null), "UNAUTHENTICATED");
  assert.equal(check(source, caller("CURATOR")), "FORBIDDEN");
  assert.equal(check(source, caller("ADMIN")), "allowed");
});

test("public fields and introspection need no sign-in; a role ranks above the ones below it", () => {
  assert.equal(check(`{ me { id } __typename __schema { queryType { name } } }`, null), "allowed");
  assert.equal(check(`{ datasets { edges { node { id } } } }`, caller("VIEWER")), "allowed");
  assert.equal(
    check(
      `mutation { createClass(datasetId: "x", input: { name: "a" }) { id } }`,
      caller("VIEWER"),
    ),
    "FORBIDDEN",
  );
  assert.equal(
    check(`mutation { createClass(datasetId: "x", input: { name: "a" }) { id } }`, caller("ADMIN")),
    "allowed",
  );
});

// Query cost, priced before execution.
const cost = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  return operationCost(
    schema,
    document,
    document.definitions[0] as OperationDefinitionNode,
    variables,
    200,
  );
};

test("a page multiplies its selection by the page size asked for, variables included", () => {
  const one = cost(`{ images(datasetId: "d", first: 1) { edges { node { id thumbnailUrl } } } }`);
  const hundred = cost(
    `query($n: Int) { images(datasetId: "d", first: $n) { edges { node { id thumbnailUrl } } } }`,
    { n: 100 },
  );
  // images @cost(2) + n × (edges 1 + node 1 + thumbnailUrl 2); scalars without @cost are free.
  assert.equal(one, 2 + 1 * 4);
  assert.equal(hundred, 2 + 100 * 4);
});

test("the console's image grid fits the default limit, three heavy pages do not", () => {
  const grid = `{ images(datasetId: "d", first: 200) { totalCount edges { node { id filename width height split tags thumbnailUrl
    annotations { id box { x y width height } defectClass { id name color } } } } pageInfo { hasNextPage endCursor } } }`;
  assert.ok(cost(grid) < 20000, String(cost(grid)));
  const heavy = `images(datasetId: "d", first: 200) { edges { node { url thumbnailUrl annotations { defectClass { name parent { name } } author { name } } dataset { balance { total } imageCount } } } }`;
  assert.ok(cost(`{ a: ${heavy} b: ${heavy} c: ${heavy} }`) > 20000);
});
