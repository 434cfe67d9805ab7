// Loading a model version (generator + optional critic) into onnxruntime-node sessions, on the
// execution provider asked for when it is available, and reporting the one actually used (lineage
// records it: CPU and CUDA results differ in the last bits).
import * as ort from "onnxruntime-node";
import type { Storage } from "@gridfill/storage";
import { GeneratorError, invalid } from "./errors.ts";
import {
  checkContract,
  checkCriticContract,
  readOnnxInfo,
  type ContractNeeds,
  type CriticMetadata,
  type GeneratorMetadata,
} from "./metadata.ts";
import {
  describeFromMetadata,
  sha256Hex,
  type ModelBytes,
  type ModelDescription,
} from "./describe.ts";

export { describeModel, sha256Hex, type ModelBytes, type ModelDescription } from "./describe.ts";

export type ExecutionProvider = "cpu" | "cuda";

export interface SessionPoolOptions {
  /** Provider to try (the worker passes the configuration's); default "cpu". */
  executionProvider?: ExecutionProvider;
  /** Threads inside one operator; default onnxruntime's (one per physical core). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /**
   * Let idle intra-op threads spin-wait for work (onnxruntime's default). Off by default here:
   * on a CPU shared with a database, storage and other workers, spinning threads steal the cores
   * the busy ones need (measured: 1.2–2× slower under load; see docs/benchmarks.md).
   */
  spinning?: boolean;
  cudaDeviceId?: number;
  /** Largest batch fed to the generator or critic in one run; default 8. */
  maxBatch?: number;
  /** What the caller needs from the model (image size, K, classes); checked before any session. */
  need?: ContractNeeds;
  /** Receives the provider fallback reason; default console.warn. */
  log?: (line: string) => void;
  /** Session factory, replaceable in tests; default ort.InferenceSession.create. */
  createSession?: (
    bytes: Uint8Array,
    options: ort.InferenceSession.SessionOptions,
  ) => Promise<ort.InferenceSession>;
}

function requestedProvider(opts: SessionPoolOptions): ExecutionProvider {
  return opts.executionProvider ?? "cpu";
}

/** Serialises runs on one session: concurrent runs would fight over the same intra-op threads. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * The sessions of one model version. Create with `SessionPool.create` (bytes) or
 * `loadModelVersion` (object storage, sha256-checked).
 */
export class SessionPool {
  private readonly genLane = new Lane();
  private readonly criticLane = new Lane();
  private released = false;

  private constructor(
    readonly generator: ort.InferenceSession,
    readonly critic: ort.InferenceSession | null,
    readonly meta: GeneratorMetadata,
    readonly criticMeta: CriticMetadata | null,
    /** The provider the sessions run on. */
    readonly executionProvider: ExecutionProvider,
    /** The provider that was asked for. */
    readonly requestedProvider: ExecutionProvider,
    /** Why the requested provider was not used, or null. */
    readonly fallbackReason: string | null,
    readonly maxBatch: number,
    readonly generatorSha256: string,
    readonly criticSha256: string | null,
  ) {}

  static async create(bytes: ModelBytes, opts: SessionPoolOptions = {}): Promise<SessionPool> {
    // Contract first: a wrong or corrupt file is refused before onnxruntime sees it.
    const meta = checkContract(readOnnxInfo(bytes.generator), opts.need);
    const criticMeta = bytes.critic ? checkCriticContract(readOnnxInfo(bytes.critic), meta) : null;
    const maxBatch = opts.maxBatch ?? 8;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1)
      throw invalid(`maxBatch must be a positive integer, got ${maxBatch}`);
    const create = opts.createSession ?? ((b, o) => ort.InferenceSession.create(b, o));
    const log = opts.log ?? ((line: string) => console.warn(line));
    const wanted = requestedProvider(opts);

    const base: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: "all" };
    if (opts.intraOpNumThreads !== undefined) base.intraOpNumThreads = opts.intraOpNumThreads;
    if (opts.interOpNumThreads !== undefined) base.interOpNumThreads = opts.interOpNumThreads;
    if (!opts.spinning) {
      base.extra = {
        session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } },
      };
    }
    const cpu: ort.InferenceSession.SessionOptions = { ...base, executionProviders: ["cpu"] };

    let provider: ExecutionProvider = "cpu";
    let fallbackReason: string | null = null;
    let generator: ort.InferenceSession | null = null;
    let critic: ort.InferenceSession | null = null;
    if (wanted === "cuda") {
      const cuda: ort.InferenceSession.SessionOptions = {
        ...base,
        executionProviders: [{ name: "cuda", deviceId: opts.cudaDeviceId ?? 0 }],
        logSeverityLevel: 4, // the failure is reported below, once, with the reason
      };
      try {
        generator = await create(bytes.generator, cuda);
        critic = bytes.critic ? await create(bytes.critic, cuda) : null;
        provider = "cuda";
      } catch (err) {
        await generator?.release().catch(() => undefined);
        generator = null;
        fallbackReason = `CUDA execution provider unavailable (${err instanceof Error ? err.message : String(err)}); using CPU`;
        log(`[generator] ${fallbackReason}`);
      }
    }
    if (!generator) {
      generator = await create(bytes.generator, cpu);
      critic = bytes.critic ? await create(bytes.critic, cpu) : null;
    }
    return new SessionPool(
      generator,
      critic,
      meta,
      criticMeta,
      provider,
      wanted,
      fallbackReason,
      maxBatch,
      sha256Hex(bytes.generator),
      bytes.critic ? sha256Hex(bytes.critic) : null,
    );
  }

  /** Registry view of the loaded model version. */
  describe(): ModelDescription {
    return describeFromMetadata(
      this.meta,
      this.criticMeta,
      this.generatorSha256,
      this.criticSha256,
    );
  }

  /** One generator run; runs are serialised. */
  runGenerator(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    this.assertLive();
    return this.genLane.run(() => this.generator.run(feeds));
  }

  runCritic(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    this.assertLive();
    const critic = this.critic;
    if (!critic) throw new GeneratorError("NO_CRITIC", "this model version has no critic");
    return this.criticLane.run(() => critic.run(feeds));
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.genLane.run(() => this.generator.release());
    if (this.critic) await this.criticLane.run(() => this.critic!.release());
  }

  private assertLive(): void {
    if (this.released) throw invalid("session pool already released");
  }
}

export interface LoadModelVersionOptions extends SessionPoolOptions {
  storage: Pick<Storage, "getBuffer">;
  generatorKey: string;
  /** Hex SHA-256 registered for the generator file. */
  generatorSha256: string;
  criticKey?: string | null;
  criticSha256?: string | null;
  /** Bucket of the files; default "models". */
  bucket?: "models" | "images" | "exports";
  /** Largest model file accepted; default 1 GiB. */
  maxBytes?: number;
}

/**
 * Reads a model version's files from object storage, refuses them unless their SHA-256 matches
 * the registry (SHA256_MISMATCH, nothing loaded), checks the contract, and creates the sessions.
 */
export async function loadModelVersion(opts: LoadModelVersionOptions): Promise<SessionPool> {
  const bucket = opts.bucket ?? "models";
  const maxBytes = opts.maxBytes ?? 1024 ** 3;
  if ((opts.criticKey == null) !== (opts.criticSha256 == null)) {
    throw invalid("criticKey and criticSha256 go together");
  }
  const fetchChecked = async (key: string, expected: string, what: string): Promise<Uint8Array> => {
    const bytes = await opts.storage.getBuffer(bucket, key, { maxBytes });
    const actual = sha256Hex(bytes);
    if (actual !== expected.trim().toLowerCase()) {
      throw new GeneratorError(
        "SHA256_MISMATCH",
        `${what} ${bucket}/${key} has sha256 ${actual}, the model version registers ${expected}; refusing to load it`,
      );
    }
    return bytes;
  };
  const generator = await fetchChecked(opts.generatorKey, opts.generatorSha256, "generator");
  const critic = opts.criticKey
    ? await fetchChecked(opts.criticKey, opts.criticSha256!, "critic")
    : null;
  return SessionPool.create({ generator, critic }, opts);
}
