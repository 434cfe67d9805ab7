import { test } from "node:test";
import assert from "node:assert/strict";
import { GraphQLRequestError } from "../graphql/client";
import { detectorFileProblem, detectorRefusal, parseMinScore } from "./detectorRun";

const refused = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLRequestError(message, "BAD_USER_INPUT", [
    { message, extensions: { code: "BAD_USER_INPUT", ...extensions } },
  ]);

test("only a non-empty .onnx file is sent", () => {
  assert.equal(detectorFileProblem({ name: "centernet.onnx", size: 1024 }), null);
  assert.equal(detectorFileProblem({ name: "CenterNet.ONNX", size: 1024 }), null);
  assert.match(detectorFileProblem({ name: "predictions.zip", size: 1024 })!, /not an \.onnx/);
  assert.match(detectorFileProblem({ name: "empty.onnx", size: 0 })!, /empty/);
});

test("an empty minimum score leaves the API's default, anything outside [0, 1] is refused", () => {
  assert.deepEqual(parseMinScore(" "), { minScore: null });
  assert.deepEqual(parseMinScore("0.25"), { minScore: 0.25 });
  assert.deepEqual(parseMinScore("1"), { minScore: 1 });
  assert.match(parseMinScore("1.5") as string, /from 0 to 1/);
  assert.match(parseMinScore("-0.1") as string, /from 0 to 1/);
  assert.match(parseMinScore("high") as string, /from 0 to 1/);
});

test("the API's refusals of a detector read as what to do about them", () => {
  assert.equal(
    detectorRefusal(
      refused("not a detector: not a readable ONNX model: field runs past the end of the data", {
        reason: "CORRUPT_MODEL",
      }),
      10,
    ),
    "This file is not an ONNX model, so it cannot be a detector: field runs past the end of the data.",
  );
  assert.equal(
    detectorRefusal(
      refused("not a detector: the model has no output named scores", {
        reason: "CONTRACT_MISMATCH",
      }),
      10,
    ),
    "This ONNX file does not meet the detector contract: the model has no output named scores.",
  );
  assert.match(
    detectorRefusal(
      refused("the uploaded file's sha256 is ab, not cd", { reason: "SHA256_MISMATCH" }),
      10,
    ),
    /Choose the file again/,
  );
  assert.equal(
    detectorRefusal(
      refused("the ONNX file is 3145728 bytes, more than the 1048576-byte limit", {
        maxBytes: 1048576,
      }),
      3145728,
    ),
    "The detector is 3.0 MB; the platform takes ONNX files up to 1.0 MB.",
  );
  assert.equal(
    detectorRefusal(
      refused("none of the detector's classes (nest, pole) is a class of the dataset"),
      10,
    ),
    "None of the detector's classes (nest, pole) is a class of the dataset",
  );
  assert.equal(detectorRefusal(new Error("Storage timed out."), 10), "Storage timed out.");
});
