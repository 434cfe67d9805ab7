// `gridfill model register`: uploads an MVSA-GAN export (generator, optional critic) to the models
// bucket through presigned PUTs and registers it; the API checks the ONNX contract and sha256.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ApiError, type ApiClient } from "../api-client.ts";

async function put(
  url: string,
  headers: Record<string, string>,
  bytes: Buffer,
  what: string,
): Promise<void> {
  const response = await fetch(url, { method: "PUT", headers, body: new Uint8Array(bytes) });
  if (!response.ok)
    throw new ApiError(`uploading the ${what} failed: HTTP ${response.status}`, "UPLOAD_FAILED");
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ApiError(
      `cannot read the ${what} ${file}: ${(error as Error).message}`,
      "BAD_USER_INPUT",
    );
  }
}

export async function runModelRegister(
  api: ApiClient,
  opts: {
    name: string;
    version: string;
    generator: string;
    critic?: string;
    metrics?: string;
    activate?: boolean;
  },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
) {
  const generator = await readInput(opts.generator, "generator");
  const critic = opts.critic ? await readInput(opts.critic, "critic") : null;
  let metrics: unknown;
  if (opts.metrics) {
    try {
      metrics = JSON.parse((await readInput(opts.metrics, "metrics file")).toString("utf8"));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(`${opts.metrics} is not valid JSON`, "BAD_USER_INPUT");
    }
  }
  const { requestModelUpload: ticket } = await api.request<{
    requestModelUpload: {
      generatorKey: string;
      generatorUrl: string;
      criticKey: string | null;
      criticUrl: string | null;
      headers: Record<string, string>;
    };
  }>(
    `mutation CliModelUpload($generatorBytes: Int!, $criticBytes: Int) {
      requestModelUpload(generatorBytes: $generatorBytes, criticBytes: $criticBytes) {
        generatorKey generatorUrl criticKey criticUrl headers
      }
    }`,
    { generatorBytes: generator.length, criticBytes: critic?.length ?? null },
  );
  out(`uploading ${opts.generator} (${generator.length} bytes)…`);
  await put(ticket.generatorUrl, ticket.headers, generator, "generator");
  if (critic && ticket.criticUrl) {
    out(`uploading ${opts.critic} (${critic.length} bytes)…`);
    await put(ticket.criticUrl, ticket.headers, critic, "critic");
  }
  const { registerModel: model } = await api.request<{
    registerModel: {
      id: string;
      name: string;
      version: string;
      status: string;
      imageSize: number;
      shots: number;
      generatorSha256: string;
    };
  }>(
    `mutation CliRegisterModel($input: RegisterModelInput!) {
      registerModel(input: $input) { id name version status imageSize shots generatorSha256 }
    }`,
    {
      input: {
        name: opts.name,
        version: opts.version,
        generatorKey: ticket.generatorKey,
        ...(critic ? { criticKey: ticket.criticKey } : {}),
        generatorSha256: createHash("sha256").update(generator).digest("hex"),
        ...(metrics !== undefined ? { metrics } : {}),
        activate: Boolean(opts.activate),
      },
    },
  );
  out(
    `registered ${model.name} ${model.version} (${model.imageSize} px, K = ${model.shots}, sha256 ${model.generatorSha256.slice(0, 12)}…) — ${model.status.toLowerCase()}`,
  );
  return model;
}
