import { test } from "node:test";
import assert from "node:assert/strict";
import { BUCKETS, PRESET_MS, chooseBucket } from "./range";

const HOUR = 3_600_000;

test("presets get the narrowest bucket that stays within 500 points", () => {
  const label = (span: number) => chooseBucket(0, span).label;
  assert.equal(label(PRESET_MS["1h"]), "10 seconds");
  assert.equal(label(PRESET_MS["6h"]), "1 minute");
  assert.equal(label(PRESET_MS["24h"]), "5 minutes");
  assert.equal(label(PRESET_MS["7d"]), "30 minutes");
});

test("every choice keeps the point count (with date_bin's extra bucket) under the cap", () => {
  for (let span = 1_000; span < 400 * 24 * HOUR; span = Math.ceil(span * 1.37)) {
    const bucket = chooseBucket(1_000_000, 1_000_000 + span);
    if (bucket === BUCKETS[BUCKETS.length - 1]) continue;
    assert.ok(Math.ceil(span / bucket.ms) + 1 <= 500, `${span} ms → ${bucket.label}`);
    const index = BUCKETS.indexOf(bucket);
    if (index > 0) {
      const narrower = BUCKETS[index - 1]!;
      assert.ok(Math.ceil(span / narrower.ms) + 1 > 500, `${span} ms could use ${narrower.label}`);
    }
  }
});

test("short, empty and inverted ranges get the finest bucket; huge ones the widest", () => {
  assert.equal(chooseBucket(0, 60_000).label, "1 second");
  assert.equal(chooseBucket(5, 5).label, "1 second");
  assert.equal(chooseBucket(10, 0).label, "1 second");
  assert.equal(chooseBucket(0, 100 * 365 * 24 * HOUR).label, "30 days");
  assert.equal(chooseBucket(0, 2 * HOUR, 50).label, "5 minutes");
});

test("bucket labels are in the form the API parses", () => {
  for (const bucket of BUCKETS)
    assert.match(bucket.label, /^\d{1,6} (second|minute|hour|day)s?$/, bucket.label);
});
