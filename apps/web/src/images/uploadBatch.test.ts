import { test } from "node:test";
import assert from "node:assert/strict";
import {
  UploadBatch,
  makeItems,
  mimeTypeOf,
  overallProgress,
  storageErrorMessage,
  summarize,
  type UploadDeps,
} from "./uploadBatch";

function fakeFile(name: string, size: number): File {
  return new File([new Uint8Array(size)], name, { type: name.endsWith(".png") ? "image/png" : "" });
}

function fakeDeps(
  overrides: Partial<UploadDeps> = {},
): UploadDeps & { state: { active: number; peak: number } } {
  const state = { active: 0, peak: 0 };
  const deps: UploadDeps = {
    hash: async (file) => `sha-${file.name}`,
    requestUpload: async (input) =>
      input.filename.startsWith("dup")
        ? { uploadId: null, url: null, headers: null, duplicateOf: { id: "img-existing" } }
        : {
            uploadId: `up-${input.filename}`,
            url: `http://storage/${input.filename}`,
            headers: { "content-type": input.mimeType },
            duplicateOf: null,
          },
    put: async (_url, _headers, _file, onProgress) => {
      state.active++;
      state.peak = Math.max(state.peak, state.active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      onProgress(0.5);
      await new Promise((resolve) => setTimeout(resolve, 5));
      onProgress(1);
      state.active--;
    },
    confirmUpload: async (uploadId) => {
      if (uploadId === "up-bad.png")
        throw new Error("The file is not an image this platform can read.");
      return { duplicate: false, imageId: `img-${uploadId}` };
    },
    ...overrides,
  };
  return { ...deps, state };
}

test("a batch uploads many files, at most `concurrency` at a time, and reports each outcome", async () => {
  const files = [
    ...Array.from({ length: 12 }, (_, index) => fakeFile(`img-${index}.png`, 100 + index)),
    fakeFile("dup.png", 10),
    fakeFile("bad.png", 10),
  ];
  const deps = fakeDeps();
  const snapshots: number[] = [];
  const batch = new UploadBatch(
    makeItems(files),
    deps,
    (items) => snapshots.push(overallProgress(items)),
    4,
  );
  await batch.run();
  const counts = summarize(batch.snapshot);
  assert.deepEqual([counts.done, counts.duplicate, counts.error], [12, 1, 1]);
  assert.ok(deps.state.peak <= 4 && deps.state.peak >= 2, `peak concurrency ${deps.state.peak}`);
  assert.equal(
    batch.snapshot.find((item) => item.file.name === "bad.png")?.message,
    "The file is not an image this platform can read.",
  );
  assert.equal(overallProgress(batch.snapshot), 1);
  assert.ok(
    snapshots.some((value) => value > 0 && value < 1),
    "progress moves between 0 and 1",
  );
});

test("failed files can be retried", async () => {
  let failOnce = true;
  const deps = fakeDeps({
    confirmUpload: async (uploadId) => {
      if (failOnce) {
        failOnce = false;
        throw new Error("busy");
      }
      return { duplicate: false, imageId: `img-${uploadId}` };
    },
  });
  const batch = new UploadBatch(makeItems([fakeFile("a.png", 5)]), deps, () => {}, 2);
  await batch.run();
  assert.equal(batch.snapshot[0]?.state, "error");
  batch.retryFailed();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(batch.snapshot[0]?.state, "done");
});

test("the split step's failure does not lose the upload", async () => {
  const deps = fakeDeps({ afterCreate: async () => Promise.reject(new Error("forbidden")) });
  const batch = new UploadBatch(makeItems([fakeFile("a.png", 5)]), deps, () => {}, 1);
  await batch.run();
  assert.equal(batch.snapshot[0]?.state, "done");
  assert.match(batch.snapshot[0]?.message ?? "", /forbidden/);
});

test("helpers: mime types by extension and S3 error messages", () => {
  assert.equal(mimeTypeOf({ name: "x.JPG", type: "" }), "image/jpeg");
  assert.equal(mimeTypeOf({ name: "x.bin", type: "" }), "application/octet-stream");
  assert.equal(
    storageErrorMessage(
      403,
      "<Error><Code>SignatureDoesNotMatch</Code><Message>The signature does not match</Message></Error>",
    ),
    "Storage refused the upload (HTTP 403): The signature does not match",
  );
});
