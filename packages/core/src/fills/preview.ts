// Fill previews: a few samples of a fill as it would be asked for, rendered by a worker (the API
// never runs inference) without writing any row. The checked request goes to the object store
// under previews/<id>/ beside the rendered samples; the job carries only the id, and the API waits
// for its output, as it does for regenerate. Previews older than PREVIEW_TTL_SECONDS are swept
// whenever another preview is made.
import type { Storage } from "@gridfill/storage";
import type { Actor } from "../context.ts";
import { badInput, conflict } from "../errors.ts";
import { uuidv7 } from "../ids.ts";
import { QUEUES } from "../jobs/queues.ts";
import {
  checkFill,
  type FillDeps,
  type FillMethod,
  type FillOutput,
  type RequestFillInput,
} from "./service.ts";

export const PREVIEW_PREFIX = "previews/";
export const PREVIEW_TTL_SECONDS = 900;
export const MAX_PREVIEW_SAMPLES = 8;

/** What the worker needs to render a preview: the checked request, frozen as requestFill would. */
export interface PreviewSpec {
  datasetId: string;
  classId: string;
  className: string;
  seed: string;
  method: FillMethod;
  output: FillOutput;
  modelVersionId: string | null;
  candidates: string[];
  hostIds: string[];
  /** Candidates per sample the critic chooses from (1: none); absent in specs written before it. */
  bestOf?: number;
  samples: number;
}

export interface FillPreviewSample {
  index: number;
  /** Presigned GET, valid for PREVIEW_TTL_SECONDS. */
  url: string;
  mimeType: string;
  width: number;
  height: number;
  /** The new box (composites); null for crops. */
  placement: { x: number; y: number; width: number; height: number } | null;
  hostImageId: string | null;
  /** Boxes the image would carry (the host's and the new one). */
  boxes: number;
}

export interface FillPreview {
  id: string;
  seed: string;
  samples: FillPreviewSample[];
}

export function previewKey(id: string, name: string): string {
  return `${PREVIEW_PREFIX}${id}/${name}`;
}

export async function readPreviewSpec(storage: Storage, id: string): Promise<PreviewSpec> {
  const bytes = await storage.getBuffer("exports", previewKey(id, "spec.json"), {
    maxBytes: 64 << 20,
  });
  return JSON.parse(bytes.toString("utf8")) as PreviewSpec;
}

/** Removes previews made more than PREVIEW_TTL_SECONDS ago (their id is a UUIDv7: it holds the time). */
export async function sweepPreviews(storage: Storage, now = Date.now()): Promise<number> {
  const stale: string[] = [];
  for await (const key of storage.listKeys("exports", PREVIEW_PREFIX)) {
    const id = key.slice(PREVIEW_PREFIX.length).split("/")[0] ?? "";
    const made = parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    if (!Number.isFinite(made) || now - made > PREVIEW_TTL_SECONDS * 1000) stale.push(key);
  }
  if (stale.length) await storage.removeMany("exports", stale);
  return stale.length;
}

/** Renders `samples` samples of the fill the input describes; refusals are requestFill's. */
export async function previewFill(
  deps: FillDeps,
  actor: Actor,
  input: RequestFillInput,
  samples = 4,
): Promise<FillPreview> {
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_PREVIEW_SAMPLES)
    throw badInput(`a preview has 1 to ${MAX_PREVIEW_SAMPLES} samples, got ${samples}`, {
      reason: "INVALID_COUNT",
    });
  const checked = await checkFill(
    deps,
    { ...input, count: samples, strategy: null },
    { preview: true },
  );
  if (!deps.jobs) throw conflict("the job runner is not running; previews cannot be made");
  const id = uuidv7();
  const spec: PreviewSpec = {
    datasetId: checked.datasetId,
    classId: checked.classId,
    className: checked.className,
    seed: checked.seed.toString(),
    method: checked.method,
    output: checked.output,
    modelVersionId: checked.model?.id ?? null,
    candidates: checked.candidates,
    hostIds: checked.hostIds,
    bestOf: checked.bestOf,
    samples,
  };
  await deps.storage.put(
    "exports",
    previewKey(id, "spec.json"),
    Buffer.from(JSON.stringify(spec)),
    {
      contentType: "application/json",
    },
  );
  const jobId = await deps.jobs.send(QUEUES.preview, { id, actor });
  if (!jobId) throw new Error("the preview job was not enqueued");
  return deps.jobs.result<FillPreview>(QUEUES.preview, jobId);
}
