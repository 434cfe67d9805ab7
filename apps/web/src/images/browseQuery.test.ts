import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EMPTY_BROWSE_QUERY,
  parseBrowseQuery,
  serializeBrowseQuery,
  toImageFilter,
} from "./browseQuery";

test("a browse query survives the round trip through the URL", () => {
  const query = {
    classId: "cls_1",
    splits: ["TRAIN", "VAL"] as const,
    origin: "SYNTHETIC" as const,
    reviewState: "PENDING" as const,
    tags: ["night", "uav 3"],
    capturedFrom: "2024-05-01T00:00",
    capturedTo: "",
  };
  const search = serializeBrowseQuery({ ...query, splits: [...query.splits] });
  assert.equal(
    search,
    "class=cls_1&split=TRAIN%2CVAL&origin=SYNTHETIC&review=PENDING&tag=night&tag=uav+3&from=2024-05-01T00%3A00",
  );
  assert.deepEqual(parseBrowseQuery(new URLSearchParams(search)), {
    ...query,
    splits: ["TRAIN", "VAL"],
  });
});

test("unknown values in a hand-edited URL are ignored", () => {
  const parsed = parseBrowseQuery(
    new URLSearchParams("split=train,bogus,TRAIN&origin=alien&review="),
  );
  assert.deepEqual(parsed, { ...EMPTY_BROWSE_QUERY, splits: ["TRAIN"] });
});

test("the GraphQL filter leaves out what is not filtered and sends instants", () => {
  assert.deepEqual(toImageFilter(EMPTY_BROWSE_QUERY), {});
  const filter = toImageFilter({
    ...EMPTY_BROWSE_QUERY,
    splits: ["TEST"],
    capturedFrom: "2024-05-01T08:30",
  });
  assert.deepEqual(filter.splits, ["TEST"]);
  assert.equal(filter.capturedAfter, new Date("2024-05-01T08:30").toISOString());
  assert.equal(filter.capturedBefore, undefined);
});
