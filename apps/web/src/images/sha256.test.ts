import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { sha256Hex, sha256Portable } from "./sha256";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

test("the portable sha256 matches node's for edge-case lengths", () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 1000, 100_003]) {
    const data = randomBytes(length);
    assert.equal(
      hex(sha256Portable(data)),
      createHash("sha256").update(data).digest("hex"),
      `length ${length}`,
    );
  }
});

test("sha256Hex gives lower-case hex", async () => {
  const data = new TextEncoder().encode("abc");
  assert.equal(
    await sha256Hex(data.buffer),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
