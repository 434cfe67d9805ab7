// The model registry: MVSA-GAN generator (+ critic) ONNX files in the models bucket, each version
// pinned by sha256 and described by its ONNX metadata. Registration checks the ONNX contract before
// anything is written; the bytes are read back and re-checked whenever a fill uses the model.
import type { ModelVersion, Prisma, PrismaClient } from "@gridfill/db";
import type { Config } from "@gridfill/config";
import type { Storage } from "@gridfill/storage";
import {
  describeModel,
  GeneratorError,
  sha256Hex,
  type ModelDescription,
} from "@gridfill/generator/contract";
import type { Actor } from "../context.ts";
import { badInput, conflict, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { uuidv7 } from "../ids.ts";
import { announcedBytes } from "../upload-tickets.ts";

/** Largest ONNX file the registry takes. */
export const MAX_MODEL_BYTES = 1024 ** 3;
const UPLOAD_TTL_SECONDS = 30 * 60;
const STAGING_KEY = /^staging\/[0-9a-f-]{36}\/(generator|critic)\.onnx$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ModelDeps {
  prisma: PrismaClient;
  storage: Storage;
}

export function modelKeys(name: string, version: string) {
  return {
    generator: `versions/${name}/${version}/generator.onnx`,
    critic: `versions/${name}/${version}/critic.onnx`,
  };
}

function checkName(what: string, value: string): string {
  const v = value.trim();
  if (!NAME.test(v))
    throw badInput(
      `${what} must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  return v;
}

/** Turns the generator package's refusals into the API's error (a clear message, code kept). */
export function modelRefusal(error: unknown, what = "the model"): never {
  if (error instanceof GeneratorError)
    throw badInput(`${what}: ${error.message}`, { reason: error.code });
  throw error;
}

export interface RegisterModelBytes {
  name: string;
  version: string;
  generator: Uint8Array;
  critic?: Uint8Array | null;
  expectedSha256?: string | null;
  metrics?: unknown;
  activate?: boolean;
}

/**
 * Registers a model version from its bytes. Idempotent: registering the same name, version and
 * bytes again returns the existing version; different bytes under a taken name/version are refused.
 */
export async function registerModelBytes(
  deps: ModelDeps,
  actor: Actor,
  input: RegisterModelBytes,
): Promise<ModelVersion> {
  const name = checkName("name", input.name);
  const version = checkName("version", input.version);
  if (input.generator.length > MAX_MODEL_BYTES || (input.critic?.length ?? 0) > MAX_MODEL_BYTES)
    throw badInput(`model files are limited to ${MAX_MODEL_BYTES} bytes`);
  const sha = sha256Hex(input.generator);
  if (input.expectedSha256 && input.expectedSha256.trim().toLowerCase() !== sha)
    throw badInput(`the generator's sha256 is ${sha}, not the expected ${input.expectedSha256}`, {
      reason: "SHA256_MISMATCH",
    });
  if (
    input.metrics !== undefined &&
    input.metrics !== null &&
    (typeof input.metrics !== "object" || Array.isArray(input.metrics))
  )
    throw badInput("metrics must be a JSON object");
  let description: ModelDescription;
  try {
    description = describeModel({ generator: input.generator, critic: input.critic ?? null });
  } catch (error) {
    modelRefusal(error, "the uploaded model is refused");
  }
  const existing = await deps.prisma.modelVersion.findUnique({
    where: { name_version: { name, version } },
  });
  if (existing) {
    if (existing.generatorSha256 !== sha || existing.criticSha256 !== description.criticSha256)
      throw conflict(
        `model ${name} ${version} is already registered with other files; register a new version`,
      );
    return input.activate ? activateModel(deps, actor, existing.id) : existing;
  }
  const keys = modelKeys(name, version);
  // Objects first (keys are fixed per name/version, so a retry overwrites), then the row.
  await deps.storage.put("models", keys.generator, Buffer.from(input.generator), {
    contentType: "application/octet-stream",
  });
  if (input.critic)
    await deps.storage.put("models", keys.critic, Buffer.from(input.critic), {
      contentType: "application/octet-stream",
    });
  return deps.prisma.$transaction(async (tx) => {
    if (input.activate)
      await tx.modelVersion.updateMany({
        where: { status: "ACTIVE" },
        data: { status: "ARCHIVED" },
      });
    const row = await tx.modelVersion.create({
      data: {
        name,
        version,
        generatorKey: keys.generator,
        generatorSha256: sha,
        criticKey: input.critic ? keys.critic : null,
        criticSha256: description.criticSha256,
        imageSize: description.imageSize,
        shots: description.shots,
        fusedPositions: description.fusedPositions,
        gridSize: description.gridSize,
        classNames: description.classNames,
        config: {
          model: description.model,
          exportVersion: description.version,
          trainingStep: description.trainingStep,
          seenClasses: description.seenClasses,
          unseenClasses: description.unseenClasses,
          criticClassNames: description.criticClassNames,
          featureSize: description.featureSize,
          generatorBytes: input.generator.length,
          training: description.config,
        } as Prisma.InputJsonValue,
        ...(input.metrics ? { metrics: input.metrics as Prisma.InputJsonValue } : {}),
        status: input.activate ? "ACTIVE" : "ARCHIVED",
        createdById: actor?.id ?? null,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "model.register",
      entityType: "ModelVersion",
      entityId: row.id,
      details: {
        name,
        version,
        generatorSha256: sha,
        criticSha256: description.criticSha256,
        activate: Boolean(input.activate),
      },
    });
    return row;
  });
}

export interface ModelUploadSizes {
  generatorBytes: number;
  /** Absent: no critic is uploaded (fills of such a model have no scores). */
  criticBytes?: number | null;
}

/**
 * Presigned PUTs for a model's files under a fresh staging prefix, each for exactly the announced
 * number of bytes; the critic's only when its size is given.
 */
export async function requestModelUpload(
  deps: ModelDeps & { config: Pick<Config, "uploadLimits"> },
  actor: Actor,
  sizes: ModelUploadSizes,
) {
  const generatorBytes = announcedBytes(deps.config, "model", sizes.generatorBytes);
  const criticBytes =
    sizes.criticBytes == null ? null : announcedBytes(deps.config, "model", sizes.criticBytes);
  const id = uuidv7();
  const generatorKey = `staging/${id}/generator.onnx`;
  const criticKey = criticBytes === null ? null : `staging/${id}/critic.onnx`;
  const put = (key: string, contentLength: number) =>
    deps.storage.presignPut("models", key, {
      contentType: "application/octet-stream",
      ttl: UPLOAD_TTL_SECONDS,
      contentLength,
    });
  const [g, c] = await Promise.all([
    put(generatorKey, generatorBytes),
    criticKey === null || criticBytes === null ? null : put(criticKey, criticBytes),
  ]);
  await deps.prisma.$transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: "model.requestUpload",
      entityType: "ModelVersion",
      entityId: id,
      details: { generatorKey, criticKey, generatorBytes, criticBytes },
    }),
  );
  return {
    generatorKey,
    generatorUrl: g.url,
    criticKey,
    criticUrl: c?.url ?? null,
    headers: g.headers,
    expiresAt: g.expiresAt,
  };
}

export interface RegisterModelInput {
  name: string;
  version: string;
  generatorKey: string;
  criticKey?: string | null;
  generatorSha256?: string | null;
  metrics?: unknown;
  activate?: boolean | null;
}

async function readStaged(storage: Storage, key: string, what: string): Promise<Buffer> {
  if (!STAGING_KEY.test(key))
    throw badInput(`${what} must be a key returned by requestModelUpload`);
  const stat = await storage.stat("models", key);
  if (!stat) throw badInput(`nothing was uploaded to ${key}`);
  if (stat.size > MAX_MODEL_BYTES)
    throw badInput(`${what} is larger than ${MAX_MODEL_BYTES} bytes`);
  return storage.getBuffer("models", key, { maxBytes: MAX_MODEL_BYTES });
}

/** Registers uploaded files (see requestModelUpload); the staging objects go once registered. */
export async function registerUploadedModel(
  deps: ModelDeps,
  actor: Actor,
  input: RegisterModelInput,
): Promise<ModelVersion> {
  const generator = await readStaged(deps.storage, input.generatorKey, "generatorKey");
  const critic = input.criticKey
    ? await readStaged(deps.storage, input.criticKey, "criticKey")
    : null;
  const row = await registerModelBytes(deps, actor, {
    name: input.name,
    version: input.version,
    generator,
    critic,
    expectedSha256: input.generatorSha256 ?? null,
    metrics: input.metrics,
    activate: input.activate ?? false,
  });
  await Promise.all(
    [input.generatorKey, input.criticKey]
      .filter((k): k is string => Boolean(k))
      .map((k) => deps.storage.remove("models", k).catch(() => undefined)),
  );
  return row;
}

export async function activateModel(
  deps: ModelDeps,
  actor: Actor,
  id: string,
): Promise<ModelVersion> {
  const modelId = requireUuid(id, "model version");
  return deps.prisma.$transaction(async (tx) => {
    const found = await tx.modelVersion.findUnique({ where: { id: modelId } });
    if (!found) throw notFound("model version", id);
    await tx.modelVersion.updateMany({
      where: { status: "ACTIVE", NOT: { id: modelId } },
      data: { status: "ARCHIVED" },
    });
    const row = await tx.modelVersion.update({
      where: { id: modelId },
      data: { status: "ACTIVE" },
    });
    await recordAudit(tx, {
      actor,
      action: "model.activate",
      entityType: "ModelVersion",
      entityId: modelId,
      details: { name: row.name, version: row.version },
    });
    return row;
  });
}

export function listModels(prisma: PrismaClient): Promise<ModelVersion[]> {
  return prisma.modelVersion.findMany({ orderBy: [{ status: "asc" }, { id: "desc" }], take: 200 });
}

export async function findModel(prisma: PrismaClient, id: string): Promise<ModelVersion | null> {
  return prisma.modelVersion.findUnique({ where: { id: requireUuid(id, "model version") } });
}

/**
 * Reads a model version's files back and checks them (sha256 against the registry, the ONNX
 * contract) without starting sessions: fills refuse a tampered or corrupt model before queueing.
 */
/** Objects (key → etag and size) whose bytes were read back and found to match their registry pin. */
const verified = new Map<string, string>();

export async function verifyStoredModel(storage: Storage, model: ModelVersion): Promise<void> {
  // Unchanged objects (same etag and size as when last verified) need not be read again: any
  // write to the object changes its etag.
  const stamps = await Promise.all(
    [model.generatorKey, model.criticKey]
      .filter((k): k is string => Boolean(k))
      .map(async (key) => {
        const stat = await storage.stat("models", key).catch(() => null);
        return stat ? `${model.id}|${key}|${stat.etag}|${stat.size}` : null;
      }),
  );
  if (stamps.every((s) => s !== null && verified.has(s))) return;
  const check = async (key: string, expected: string, what: string) => {
    let bytes: Buffer;
    try {
      bytes = await storage.getBuffer("models", key, { maxBytes: MAX_MODEL_BYTES });
    } catch (error) {
      throw badInput(
        `the ${what} of model ${model.name} ${model.version} cannot be read from storage (${(error as Error).message})`,
        {
          reason: "MODEL_UNAVAILABLE",
        },
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== expected)
      throw badInput(
        `the stored ${what} of model ${model.name} ${model.version} has sha256 ${actual}, the registry pins ${expected}; refusing to use it`,
        {
          reason: "SHA256_MISMATCH",
        },
      );
    return bytes;
  };
  const generator = await check(model.generatorKey, model.generatorSha256, "generator");
  const critic =
    model.criticKey && model.criticSha256
      ? await check(model.criticKey, model.criticSha256, "critic")
      : null;
  try {
    describeModel({ generator, critic });
  } catch (error) {
    modelRefusal(error, `model ${model.name} ${model.version} is not a valid generator`);
  }
  for (const stamp of stamps) if (stamp) verified.set(stamp, model.generatorSha256);
  if (verified.size > 1000) verified.delete(verified.keys().next().value!);
}
