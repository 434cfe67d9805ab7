import { test } from "node:test";
import assert from "node:assert/strict";
import { parse, type OperationDefinitionNode } from "graphql";
import { buildSchema } from "./schema.ts";
import { operationCost } from "./cost.ts";

const schema = buildSchema();
const cost = (source: string, variables: Record<string, unknown> = {}) => {
  const document = parse(source);
  return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables, 200);
};

test("a page multiplies its selection by the page size asked for, variables included", () => {
  const one = cost(`{ images(datasetId: "d", first: 1) { edges { node { id thumbnailUrl } } } }`);
  const hundred = cost(`query($n: Int) { images(datasetId: "d", first: $n) { edges { node { id thumbnailUrl } } } }`, { n: 100 });
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
