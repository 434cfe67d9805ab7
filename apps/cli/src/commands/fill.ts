// `gridfill fill`: asks for a fill of one class (a count or a fill-plan strategy, the method, the
// output, the model, best-of-N selection and the seed), and with --wait follows it to the end with a progress bar. Exits non-zero
// when the fill does not succeed, so scripts and benchmarks can chain on it.
import cliProgress from "cli-progress";
import { ApiError, type ApiClient } from "../api-client.ts";
import { followJob } from "../follow.ts";

export type FillOptions = {
  dataset: string;
  class: string;
  count?: string;
  strategy?: string;
  method?: string;
  output?: string;
  hosts?: string;
  /** A registered model as NAME or NAME:VERSION (default: the active one). */
  model?: string;
  /** Candidates per sample, the critic keeping the best (model fills). */
  bestOf?: string;
  seed?: string;
  wait?: boolean;
  json?: boolean;
  /** Seconds between progress reads when the API's progress subscription cannot be had. */
  pollSeconds?: number;
};

export type FillSummary = {
  id: string;
  status: string;
  count: number;
  completed: number;
  seed: string;
  method: string;
  output: string;
  hosts: string;
  bestOf: number;
  error: string | null;
  images?: { id: string; filename: string; width: number; height: number }[];
};

const STRATEGIES: Record<string, string> = { "to-max": "TO_MAX", "to-median": "TO_MEDIAN" };
const METHODS: Record<string, string> = { model: "MODEL", "copy-paste": "COPY_PASTE" };
const OUTPUTS: Record<string, string> = { composite: "COMPOSITE", crop: "CROP" };
const HOSTS: Record<string, string> = { clean: "CLEAN_ONLY", any: "ANY" };
const FIELDS = `id status count completed seed method output hosts bestOf error`;

function choice(table: Record<string, string>, raw: string | undefined, flag: string) {
  if (raw === undefined) return undefined;
  const value = table[raw.toLowerCase()];
  if (!value)
    throw new ApiError(
      `${flag} must be one of ${Object.keys(table).join(", ")}, got "${raw}"`,
      "BAD_USER_INPUT",
    );
  return value;
}

/** The request input from the command's flags; bad flags are refused before anything is sent. */
export function fillInput(
  opts: FillOptions,
  datasetId: string,
  classId: string,
  modelVersionId?: string,
) {
  if ((opts.count === undefined) === (opts.strategy === undefined))
    throw new ApiError("give either --count N or --strategy to-max|to-median", "BAD_USER_INPUT");
  let count: number | undefined;
  if (opts.count !== undefined) {
    count = Number(opts.count);
    if (!Number.isInteger(count) || count < 1)
      throw new ApiError(
        `--count must be a whole number ≥ 1, got "${opts.count}"`,
        "BAD_USER_INPUT",
      );
  }
  const strategy = choice(STRATEGIES, opts.strategy, "--strategy");
  let bestOf: number | undefined;
  if (opts.bestOf !== undefined) {
    bestOf = Number(opts.bestOf);
    if (!Number.isInteger(bestOf) || bestOf < 1)
      throw new ApiError(
        `--best-of must be a whole number ≥ 1, got "${opts.bestOf}"`,
        "BAD_USER_INPUT",
      );
  }
  return {
    datasetId,
    classId,
    ...(count !== undefined ? { count } : {}),
    ...(strategy ? { strategy: { kind: strategy } } : {}),
    ...(opts.method ? { method: choice(METHODS, opts.method, "--method") } : {}),
    ...(opts.output ? { output: choice(OUTPUTS, opts.output, "--output") } : {}),
    ...(opts.hosts ? { hosts: choice(HOSTS, opts.hosts, "--hosts") } : {}),
    ...(modelVersionId ? { modelVersionId } : {}),
    ...(bestOf !== undefined ? { bestOf } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
}

/** The id of the model `NAME` (its only, or active, version) or `NAME:VERSION`. */
async function findModel(client: ApiClient, spec: string): Promise<string> {
  const [name, version] = spec.split(":", 2) as [string, string | undefined];
  const { modelVersions } = await client.request<{
    modelVersions: { id: string; name: string; version: string; status: string }[];
  }>(`query CliFillModels { modelVersions { id name version status } }`);
  const named = modelVersions.filter(
    (m) => m.name === name && (version === undefined || m.version === version),
  );
  const found =
    named.length === 1 ? named[0] : (named.find((m) => m.status === "ACTIVE") ?? undefined);
  if (!found)
    throw new ApiError(
      named.length > 1
        ? `model "${name}" has several versions (${named.map((m) => m.version).join(", ")}); give --model ${name}:VERSION`
        : `no model "${spec}" (registered: ${modelVersions.map((m) => `${m.name}:${m.version}`).join(", ") || "none"})`,
      "NOT_FOUND",
    );
  return found.id;
}

async function findClass(client: ApiClient, dataset: string, className: string) {
  const found = await client.request<{
    dataset: { id: string; classes: { id: string; name: string }[] } | null;
  }>(`query CliFillClass($name: String) { dataset(name: $name) { id classes { id name } } }`, {
    name: dataset,
  });
  if (!found.dataset) throw new ApiError(`no dataset named "${dataset}"`, "NOT_FOUND");
  const cls = found.dataset.classes.find((c) => c.name === className);
  if (!cls)
    throw new ApiError(
      `dataset "${dataset}" has no class "${className}" (it has ${found.dataset.classes.map((c) => c.name).join(", ")})`,
      "NOT_FOUND",
    );
  return { datasetId: found.dataset.id, classId: cls.id };
}

async function follow(
  client: ApiClient,
  request: FillSummary,
  opts: FillOptions,
  out: NodeJS.WritableStream,
): Promise<FillSummary> {
  const bar =
    opts.json || !(out as NodeJS.WriteStream).isTTY
      ? undefined
      : new cliProgress.SingleBar(
          { format: "Filling [{bar}] {value}/{total} images", stream: out as NodeJS.WriteStream },
          cliProgress.Presets.shades_classic,
        );
  bar?.start(request.count, request.completed);
  const current = await followJob(client, request, {
    subscription: `subscription CliFillUpdated($id: ID!) { fillRequestUpdated(id: $id) { ${FIELDS} } }`,
    field: "fillRequestUpdated",
    read: async (id) => {
      const read = await client.request<{ fillRequest: FillSummary | null }>(
        `query CliFillProgress($id: ID!) { fillRequest(id: $id) { ${FIELDS} } }`,
        { id },
      );
      if (!read.fillRequest) throw new ApiError("the fill request disappeared", "NOT_FOUND");
      return read.fillRequest;
    },
    onProgress: (current) => bar?.update(current.completed),
    pollSeconds: opts.pollSeconds,
  });
  bar?.stop();
  const images = await client.request<{ fillRequest: { images: FillSummary["images"] } }>(
    `query CliFillImages($id: ID!) { fillRequest(id: $id) { images(first: 500) { id filename width height } } }`,
    { id: current.id },
  );
  return { ...current, images: images.fillRequest.images };
}

export async function runFill(
  client: ApiClient,
  opts: FillOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<FillSummary> {
  const { datasetId, classId } = await findClass(client, opts.dataset, opts.class);
  const modelVersionId = opts.model ? await findModel(client, opts.model) : undefined;
  const input = fillInput(opts, datasetId, classId, modelVersionId);
  const created = await client.request<{ requestFill: FillSummary }>(
    `mutation CliRequestFill($input: RequestFillInput!) { requestFill(input: $input) { ${FIELDS} } }`,
    { input },
  );
  let request = created.requestFill;
  if (!opts.json)
    out.write(
      `Fill ${request.id}: ${request.count} ${request.output.toLowerCase()} image(s) of ${opts.class} by ${request.method.toLowerCase().replace("_", "-")}${request.bestOf > 1 ? ` (best of ${request.bestOf})` : ""}, seed ${request.seed}\n`,
    );
  if (opts.wait) request = await follow(client, request, opts, out);
  if (opts.json) out.write(JSON.stringify(request, null, 2) + "\n");
  else if (opts.wait)
    out.write(
      `${request.status.toLowerCase()}: ${request.completed} of ${request.count} made${request.error ? ` (${request.error})` : ""}\n`,
    );
  return request;
}
