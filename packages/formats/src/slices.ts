// Long loops over a file's records run in slices: after `sliceMs` of work, the next call lets the
// event loop run (timers, I/O, heartbeats, signals) before the loop goes on.
import { Transform, type TransformCallback } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";

export const DEFAULT_SLICE_MS = 20;

/** Returns `pause`: await it in a loop; it yields to the event loop once a slice is used up. */
export function eventLoopSlices(sliceMs = DEFAULT_SLICE_MS): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await nextTurn();
    sliceStart = performance.now();
  };
}

/**
 * Passes text through in pieces of at most `pieceChars`, letting the event loop run once a slice
 * is used up: a parser downstream handles each piece synchronously, so a large chunk would
 * otherwise be one long stall.
 */
export class SlicedText extends Transform {
  private readonly nextSlice = eventLoopSlices();
  constructor(private readonly pieceChars = 4096) {
    super({ decodeStrings: false, encoding: "utf8" });
  }
  override _transform(chunk: string | Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
    void (async () => {
      for (let at = 0; at < text.length; at += this.pieceChars) {
        await this.nextSlice();
        this.push(text.slice(at, at + this.pieceChars));
      }
    })().then(() => done(), done);
  }
}

/**
 * The records of `source` until `signal` aborts: then the pending read is abandoned and the abort
 * thrown at once, so a reader that holds its records back (COCO reads its whole file first) does
 * not keep a stopping process waiting. Closing the source ends the abandoned read.
 */
export async function* untilAborted<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  if (!signal) return yield* source;
  const records = source[Symbol.asyncIterator]();
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(signal.reason);
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {}); // observed by the race below
  for (;;) {
    const next = await Promise.race([records.next(), aborted]);
    if (next.done) return;
    yield next.value;
  }
}
