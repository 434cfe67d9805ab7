// UUID v7 (time-ordered), the same kind Prisma's @default(uuid(7)) makes, for rows inserted with
// raw SQL: keyset pages on `id` then follow insertion order.
import { randomBytes } from "node:crypto";

let lastMs = 0;
let counter = 0;

export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  // Monotonic within a process: same millisecond → bump a 12-bit counter in rand_a.
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
}
