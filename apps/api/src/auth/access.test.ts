// Every root field must say who may call it: exactly one of @auth(requires: …) or @public. A new
// field without a declaration fails here (and is refused at run time anyway: fail closed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "graphql";
import { buildSchema } from "../schema.ts";
import { accessRules, assertOperationAllowed, rootFieldNames } from "./access.ts";
import type { Caller, Role } from "../context.ts";

const schema = buildSchema();
const rules = accessRules(schema);

test("every root Query, Mutation and Subscription field carries exactly one of @auth / @public", () => {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null);
  let fields = 0;
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      fields++;
      const names = (field.astNode?.directives ?? []).map((d) => d.name.value).filter((n) => n === "auth" || n === "public");
      assert.equal(names.length, 1, `${root.name}.${field.name} declares ${names.length ? names.join(" and ") : "no access rule"}`);
    }
  }
  assert.ok(fields > 20);
  assert.ok([...rules.values()].every((r) => r.kind === "public" || r.kind === "role"));
});

const caller = (role: Role): Caller => ({ id: "u", email: "u@x", name: "u", role, via: { kind: "apiToken", tokenId: "t" } });

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
  assert.deepEqual(rootFieldNames(parse(source), parse(source).definitions[0] as never).sort(), ["me", "users"]);
  assert.equal(check(source, null), "UNAUTHENTICATED");
  assert.equal(check(source, caller("CURATOR")), "FORBIDDEN");
  assert.equal(check(source, caller("ADMIN")), "allowed");
});

test("public fields and introspection need no sign-in; a role ranks above the ones below it", () => {
  assert.equal(check(`{ me { id } __typename __schema { queryType { name } } }`, null), "allowed");
  assert.equal(check(`{ datasets { edges { node { id } } } }`, caller("VIEWER")), "allowed");
  assert.equal(check(`mutation { createClass(datasetId: "x", input: { name: "a" }) { id } }`, caller("VIEWER")), "FORBIDDEN");
  assert.equal(check(`mutation { createClass(datasetId: "x", input: { name: "a" }) { id } }`, caller("ADMIN")), "allowed");
});
