/**
 * The "Run a detector" dialog's inputs, checked before anything is sent, and the API's refusals
 * of a detector said in the curator's words. The API checks everything again: these only save a
 * pointless upload and make its messages readable.
 */
import { GraphQLRequestError } from "../graphql/client";
import { formatBytes } from "../ui/format";

/** What is wrong with the chosen file before it is hashed and uploaded, or null. */
export function detectorFileProblem(file: { name: string; size: number }): string | null {
  if (!/\.onnx$/i.test(file.name))
    return `${file.name} is not an .onnx file: choose the detector exported to ONNX.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

/** The minimum score as typed: null for the API's default, or what is wrong with it. */
export function parseMinScore(text: string): { minScore: number | null } | string {
  const trimmed = text.trim();
  if (trimmed === "") return { minScore: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    return "The minimum score is a number from 0 to 1.";
  return { minScore: value };
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A refusal of requestDetectorUpload or runDetector as the dialog shows it. Contract and hash
 * problems come with a reason; the size limit with maxBytes; anything else reads as the API wrote it.
 */
export function detectorRefusal(error: unknown, fileBytes: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof GraphQLRequestError)) return sentence(message);
  const { reason, maxBytes } = error.extensions;
  // runDetector prefixes the contract check's own message, which names what it could not read.
  const detail = message
    .replace(/^not a detector: /, "")
    .replace(/^not a (readable )?ONNX model: /, "");
  switch (reason) {
    case "CORRUPT_MODEL":
      return `This file is not an ONNX model, so it cannot be a detector: ${detail}.`;
    case "CONTRACT_MISMATCH":
      return `This ONNX file does not meet the detector contract: ${detail}.`;
    case "SHA256_MISMATCH":
      return "The uploaded file differs from the one read in the browser (its sha256 does not match). Choose the file again and retry.";
  }
  if (typeof maxBytes === "number")
    return `The detector is ${formatBytes(fileBytes)}; the platform takes ONNX files up to ${formatBytes(maxBytes)}.`;
  return sentence(message);
}
