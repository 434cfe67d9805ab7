import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeFillRequest } from "./useLiveFillRequests";
import type { FillRequest } from "./fills.graphql";

function request(id: string, createdAt: string, patch: Partial<FillRequest> = {}): FillRequest {
  return {
    id,
    defectClass: { id: "c", name: "crack", title: "Crack", color: "#f00" },
    model: { id: "m", name: "mvsa-gan", version: "1" },
    method: "MODEL",
    output: "COMPOSITE",
    bestOf: 1,
    count: 8,
    completed: 0,
    status: "QUEUED",
    seed: "1",
    error: null,
    executionProvider: null,
    requestedBy: null,
    createdAt,
    startedAt: null,
    finishedAt: null,
    cancelledAt: null,
    ...patch,
  };
}

const older = request("a", "2026-11-28T09:00:00.000Z");
const newer = request("b", "2026-11-28T09:05:00.000Z");

test("an update replaces its request in place", () => {
  const merged = mergeFillRequest([newer, older], { ...older, completed: 3, status: "RUNNING" });
  assert.deepEqual(
    merged.map((entry) => [entry.id, entry.completed, entry.status]),
    [
      ["b", 0, "QUEUED"],
      ["a", 3, "RUNNING"],
    ],
  );
});

test("a request the list has not seen goes in newest first", () => {
  const newest = request("c", "2026-11-28T09:10:00.000Z");
  assert.deepEqual(
    mergeFillRequest([newer, older], newest).map((entry) => entry.id),
    ["c", "b", "a"],
  );
});

test("a late push with less progress in the same status does not move the bar back", () => {
  const list = [{ ...older, completed: 5, status: "RUNNING" as const }];
  assert.equal(
    mergeFillRequest(list, { ...older, completed: 4, status: "RUNNING" })[0]!.completed,
    5,
  );
  // A change of status always wins (a cancelled request keeps what it had made).
  const cancelled = mergeFillRequest(list, { ...older, completed: 5, status: "CANCELLED" });
  assert.equal(cancelled[0]!.status, "CANCELLED");
});
