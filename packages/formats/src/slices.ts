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
