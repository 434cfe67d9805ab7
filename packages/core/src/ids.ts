// UUID v7 (time-ordered), the same kind Prisma's @default(uuid(7)) makes, for rows inserted with
// raw SQL: keyset pages on `id` then follow insertion order. The random bits come from a pooled
// buffer (one random fill per 4,096 ids instead of one per id: bulk imports make millions).
import { randomFillSync } from "node:crypto";

const POOL_IDS = 4096;

/** A source of UUID v7 ids, monotonic within the source. */
export function uuidv7Source(clock: () => number = Date.now): (now?: number) => string {
  const pool = Buffer.alloc(16 * POOL_IDS);
  let at = pool.length;
  let lastMs = 0;
  let counter = 0;
  const bytes = Buffer.alloc(16);
  return (now = clock()) => {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    pool.copy(bytes, 0, at, at + 16);
    at += 16;
    // Monotonic: same millisecond → bump a 12-bit counter in rand_a.
    if (now <= lastMs) {
      counter = (counter + 1) & 0xfff;
      if (counter === 0) lastMs += 1;
      now = lastMs;
    } else {
      lastMs = now;
      counter = bytes.readUInt16BE(6) & 0x3ff;
    }
    bytes.writeUIntBE(now, 0, 6);
    bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** The process's id source. */
export const uuidv7 = uuidv7Source();
