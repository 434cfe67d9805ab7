/** Reading label text from a tree: strict UTF-8, bounded size, errors as values. */
import { Transform } from "node:stream";
import type { TransformCallback } from "node:stream";
import type { FileTree } from "./file-tree.ts";
import type { FormatError } from "./model.ts";

export class NotUtf8Error extends Error {
  readonly code = "NOT_UTF8";
}

export class TooLargeError extends Error {
  readonly code = "UNSUPPORTED";
}

/** Decodes a byte stream into strings, failing on the first invalid UTF-8 sequence. */
export class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  constructor() {
    super({ readableObjectMode: false, decodeStrings: true, encoding: "utf8" });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      done(null, this.decoder.decode(chunk, { stream: true }));
    } catch {
      done(new NotUtf8Error("text is not valid UTF-8"));
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(new NotUtf8Error("text ends inside a UTF-8 sequence"));
    }
  }
}

/** Maps a failure while reading a file to a report entry. */
export function streamFailure(file: string, err: unknown): FormatError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === "ZIP_BOMB" || code === "NOT_UTF8" || code === "UNSUPPORTED") {
    return { file, code, message };
  }
  return { file, code: "UNSUPPORTED", message: `cannot read file: ${message}` };
}

export type TextResult = { ok: true; text: string } | { ok: false; error: FormatError };

/** Reads a whole (small) text file, dropping a UTF-8 byte-order mark. */
export async function readText(
  tree: FileTree,
  path: string,
  maxBytes: number,
): Promise<TextResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of tree.open(path)) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new TooLargeError(`file is larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    return { ok: false, error: streamFailure(path, err) };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
    return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch {
    return {
      ok: false,
      error: { file: path, code: "NOT_UTF8", message: "text is not valid UTF-8" },
    };
  }
}
