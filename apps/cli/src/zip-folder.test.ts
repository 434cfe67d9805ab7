// The folder zip `gridfill import` streams: its length is declared before the first byte (S3 needs a
// Content-Length on a PUT), so the bytes sent must be exactly that many, however many files.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import yauzl from "yauzl";
import { zipFolder } from "./commands/import.ts";

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test("a folder whose central directory passes 64 KiB streams exactly its declared length", async () => {
  // 1,200 files with 60-character names: a central directory of about 140 KiB. A declared length
  // longer than the stream left the PUT waiting for bytes that never came (HTTP 408 after 5 min).
  const root = await mkdtemp(path.join(os.tmpdir(), "gridfill-zip-"));
  try {
    await mkdir(path.join(root, "Annotations"));
    for (let i = 0; i < 1200; i++)
      await writeFile(
        path.join(
          root,
          "Annotations",
          `inspection-flight-2026-12-07-tower-${String(i).padStart(6, "0")}.xml`,
        ),
        `<annotation><filename>${i}.png</filename></annotation>`,
      );
    const { stream, size } = await zipFolder(root);
    const bytes = await drain(stream);
    assert.equal(bytes.length, size);
    const names = await new Promise<string[]>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
        if (error) return reject(error);
        const seen: string[] = [];
        zip.on("entry", (entry: yauzl.Entry) => {
          seen.push(entry.fileName);
          zip.readEntry();
        });
        zip.on("end", () => resolve(seen));
        zip.on("error", reject);
        zip.readEntry();
      }),
    );
    assert.equal(names.length, 1200);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
