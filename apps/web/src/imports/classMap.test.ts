import { test } from "node:test";
import assert from "node:assert/strict";
import { classMapFromRows, emptyRow, rowsFromJson, rowsToJson } from "./classMap";

test("rows become a class map; untouched rows are ignored, no rows is no map", () => {
  assert.deepEqual(classMapFromRows([emptyRow()]), { ok: true, value: null });
  assert.deepEqual(
    classMapFromRows([
      { from: " Insulator ", to: " insulator ", drop: false },
      emptyRow(),
      { from: "tower", to: "ignored", drop: true },
    ]),
    { ok: true, value: { Insulator: "insulator", tower: null } },
  );
});

test("incomplete or repeated rows are refused with the row number", () => {
  const refused = (rows: Parameters<typeof classMapFromRows>[0]) => {
    const result = classMapFromRows(rows);
    assert.equal(result.ok, false);
    return result.ok ? "" : result.error;
  };
  assert.match(refused([{ from: "", to: "x", drop: false }]), /^Row 1: name the class/);
  assert.match(
    refused([emptyRow(), { from: "a", to: "", drop: false }]),
    /^Row 2: give the new name/,
  );
  assert.match(
    refused([
      { from: "a", to: "b", drop: false },
      { from: "a", to: "c", drop: false },
    ]),
    /^Row 2: “a” is mapped twice/,
  );
  assert.match(refused([{ from: "a", to: "x".repeat(65), drop: false }]), /at most 64/);
});

test("pasted JSON becomes rows and back; bad JSON says why", () => {
  const parsed = rowsFromJson('{ "Insulator": "insulator", "tower": null }');
  assert.deepEqual(parsed, {
    ok: true,
    value: [
      { from: "Insulator", to: "insulator", drop: false },
      { from: "tower", to: "", drop: true },
    ],
  });
  assert.ok(parsed.ok);
  assert.deepEqual(JSON.parse(rowsToJson(parsed.value)), { Insulator: "insulator", tower: null });
  assert.deepEqual(rowsFromJson("  "), { ok: true, value: [] });
  for (const [text, pattern] of [
    ["{ nope", /Not valid JSON/],
    ["[1, 2]", /is an object/],
    ['{ "a": 3 }', /must be a string, or null/],
    ['{ "a": "" }', /give the new name/],
  ] as const) {
    const result = rowsFromJson(text);
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, pattern);
  }
});
