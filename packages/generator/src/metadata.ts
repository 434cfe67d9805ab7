// Reads what the runtime needs from an ONNX file (metadata_props, graph inputs and outputs) without
// creating a session: onnxruntime-node 1.30 exposes input/output shapes but not metadata_props, and
// a registry check should not pay for graph optimisation. The ModelProto wire format is decoded by
// hand; only the handful of fields below are read, everything else is skipped by length.
import { GeneratorError } from "./errors.ts";

export interface ValueInfo {
  name: string;
  /** Element type as onnxruntime-node names it ("float32", "int64", ...); null for non-tensors. */
  type: string | null;
  /** Dimensions: a number when fixed, the symbolic name when dynamic ("batch"), null when unknown. */
  shape: (number | string | null)[] | null;
}

export interface OnnxModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  /** Default-domain opset, or null when absent. */
  opsetVersion: number | null;
  metadata: Record<string, string>;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** TensorProto.DataType → onnxruntime-node's type names. */
const ELEM_TYPES: Record<number, string> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  10: "float16",
  11: "float64",
  12: "uint32",
  13: "uint64",
  14: "complex64",
  15: "complex128",
  16: "bfloat16",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

function corrupt(why: string): never {
  throw new GeneratorError("CORRUPT_MODEL", `not a readable ONNX model: ${why}`);
}

/** A bounded protobuf reader over [pos, end). */
class Reader {
  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) corrupt("truncated varint");
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    return corrupt("varint longer than 10 bytes");
  }

  /** A varint used as a length or small count: must fit a safe integer. */
  uint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) corrupt("length out of range");
    return Number(v);
  }

  tag(): { field: number; wire: number } {
    const t = this.uint();
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field === 0) corrupt("field number 0");
    return { field, wire };
  }

  /** Sub-reader over a length-delimited field. */
  sub(): Reader {
    const len = this.uint();
    if (this.pos + len > this.end) corrupt("field runs past the end of the data (truncated file?)");
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  string(): string {
    const r = this.sub();
    try {
      return utf8.decode(this.buf.subarray(r.pos, r.end));
    } catch {
      return corrupt("string field is not UTF-8");
    }
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.sub();
        return;
      case 5:
        this.advance(4);
        return;
      default: // groups (3, 4) are not used by ONNX; 6 and 7 do not exist
        corrupt(`unexpected wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) corrupt("truncated fixed-size field");
    this.pos += n;
  }
}

function expectWire(field: number, wire: number, want: number, where: string): void {
  if (wire !== want) corrupt(`${where} field ${field} has wire type ${wire}, expected ${want}`);
}

function readShape(r: Reader): (number | string | null)[] {
  const dims: (number | string | null)[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    expectWire(field, wire, 2, "TensorShapeProto");
    const d = r.sub();
    let dim: number | string | null = null;
    while (!d.done) {
      const t = d.tag();
      if (t.field === 1 && t.wire === 0) dim = Number(BigInt.asIntN(64, d.varint()));
      else if (t.field === 2 && t.wire === 2) dim = d.string();
      else d.skip(t.wire);
    }
    dims.push(dim);
  }
  return dims;
}

function readValueInfo(r: Reader): ValueInfo {
  const info: ValueInfo = { name: "", type: null, shape: null };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) info.name = r.string();
    else if (field === 2 && wire === 2) {
      const tp = r.sub(); // TypeProto
      while (!tp.done) {
        const t = tp.tag();
        if (t.field !== 1 || t.wire !== 2) {
          tp.skip(t.wire);
          continue;
        }
        const tt = tp.sub(); // TypeProto.Tensor
        info.shape = [];
        while (!tt.done) {
          const u = tt.tag();
          if (u.field === 1 && u.wire === 0) {
            const code = Number(tt.varint());
            info.type = ELEM_TYPES[code] ?? `onnx-type-${code}`;
          } else if (u.field === 2 && u.wire === 2) info.shape = readShape(tt.sub());
          else tt.skip(u.wire);
        }
      }
    } else r.skip(wire);
  }
  return info;
}

function readInitializerName(r: Reader): string | null {
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 8 && wire === 2) return r.string();
    r.skip(wire);
  }
  return null;
}

/**
 * Decodes an ONNX ModelProto's header fields, metadata and graph signature. Throws CORRUPT_MODEL
 * for anything that is not a well-formed ModelProto with a graph.
 */
export function readOnnxInfo(bytes: Uint8Array): OnnxModelInfo {
  if (bytes.length === 0) corrupt("empty file");
  const r = new Reader(bytes, 0, bytes.length);
  let irVersion: number | null = null;
  let sawGraph = false;
  const info: OnnxModelInfo = {
    irVersion: 0,
    producerName: "",
    producerVersion: "",
    opsetVersion: null,
    metadata: {},
    inputs: [],
    outputs: [],
  };
  const initializers = new Set<string>();
  while (!r.done) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1: // ir_version
        expectWire(field, wire, 0, "ModelProto");
        irVersion = Number(r.varint());
        break;
      case 2:
        expectWire(field, wire, 2, "ModelProto");
        info.producerName = r.string();
        break;
      case 3:
        expectWire(field, wire, 2, "ModelProto");
        info.producerVersion = r.string();
        break;
      case 7: {
        // GraphProto: input = 11, output = 12, initializer = 5 (older exporters list weights as inputs)
        expectWire(field, wire, 2, "ModelProto");
        sawGraph = true;
        const g = r.sub();
        while (!g.done) {
          const t = g.tag();
          if (t.field === 11 && t.wire === 2) info.inputs.push(readValueInfo(g.sub()));
          else if (t.field === 12 && t.wire === 2) info.outputs.push(readValueInfo(g.sub()));
          else if (t.field === 5 && t.wire === 2) {
            const name = readInitializerName(g.sub());
            if (name !== null) initializers.add(name);
          } else g.skip(t.wire);
        }
        break;
      }
      case 8: {
        // OperatorSetIdProto: domain = 1, version = 2
        expectWire(field, wire, 2, "ModelProto");
        const o = r.sub();
        let domain = "";
        let version: number | null = null;
        while (!o.done) {
          const t = o.tag();
          if (t.field === 1 && t.wire === 2) domain = o.string();
          else if (t.field === 2 && t.wire === 0) version = Number(o.varint());
          else o.skip(t.wire);
        }
        if ((domain === "" || domain === "ai.onnx") && version !== null)
          info.opsetVersion = version;
        break;
      }
      case 14: {
        // StringStringEntryProto: key = 1, value = 2
        expectWire(field, wire, 2, "ModelProto");
        const e = r.sub();
        let key = "";
        let value = "";
        while (!e.done) {
          const t = e.tag();
          if (t.field === 1 && t.wire === 2) key = e.string();
          else if (t.field === 2 && t.wire === 2) value = e.string();
          else e.skip(t.wire);
        }
        info.metadata[key] = value;
        break;
      }
      default:
        r.skip(wire);
    }
  }
  if (irVersion === null || irVersion < 1 || irVersion > 100) corrupt("no valid ir_version");
  if (!sawGraph) corrupt("no graph");
  info.irVersion = irVersion;
  info.inputs = info.inputs.filter((i) => !initializers.has(i.name));
  return info;
}

// ───────────────────────────── the generator / critic contract ─────────────────────────────

export interface GeneratorMetadata {
  /** H = W of the shots and of the output. */
  imageSize: number;
  /** K: shots per sample, base first. */
  shots: number;
  /** N: feature-grid positions fused per sample. */
  fusedPositions: number;
  /** The encoder's feature grid is gridSize × gridSize; positions index it row-major. */
  gridSize: number;
  /** Every class the training data named (seen + unseen). */
  classNames: string[];
  seenClasses: string[];
  unseenClasses: string[];
  version: string;
  model: string;
  trainingStep: number | null;
  /** The training configuration, YAML text as exported. */
  trainingConfig: string;
}

export interface CriticMetadata {
  imageSize: number;
  /** Classes of class_logits, in order: the classes the critic saw during training. */
  classNames: string[];
  /** F of the features output, when the graph fixes it. */
  featureSize: number | null;
}

export interface ContractNeeds {
  imageSize?: number;
  shots?: number;
  /** Classes the caller expects the model to know (generation itself works for any class). */
  classNames?: readonly string[];
}

function intMeta(meta: Record<string, string>, key: string, problems: string[]): number {
  const raw = meta[key];
  if (raw === undefined) {
    problems.push(`metadata ${key} is missing`);
    return 0;
  }
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v <= 0) {
    problems.push(`metadata ${key} is not a positive integer: ${JSON.stringify(raw)}`);
    return 0;
  }
  return v;
}

function listMeta(
  meta: Record<string, string>,
  key: string,
  problems: string[],
  required: boolean,
): string[] {
  const raw = meta[key];
  if (raw === undefined) {
    if (required) problems.push(`metadata ${key} is missing`);
    return [];
  }
  try {
    const v: unknown = JSON.parse(raw);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    // reported below
  }
  problems.push(`metadata ${key} is not a JSON list of strings`);
  return [];
}

function fmtShape(v: ValueInfo): string {
  return `${v.type ?? "non-tensor"} [${(v.shape ?? []).map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/**
 * Checks one graph value against the expected type and shape; `null` in `dims` accepts any size
 * (the batch axis). A dynamic dimension where a number is expected is accepted: the runtime
 * feeds the metadata's size and onnxruntime checks it.
 */
function checkValue(
  kind: "input" | "output",
  list: ValueInfo[],
  name: string,
  type: string,
  dims: (number | null)[],
  problems: string[],
): ValueInfo | null {
  const v = list.find((x) => x.name === name);
  if (!v) {
    problems.push(
      `${kind} ${name} is missing (${kind}s: ${list.map((x) => x.name).join(", ") || "none"})`,
    );
    return null;
  }
  const want = `${type} [${dims.map((d) => (d === null ? "B" : String(d))).join(", ")}]`;
  const shapeOk =
    v.shape !== null &&
    v.shape.length === dims.length &&
    dims.every((d, i) => d === null || typeof v.shape![i] !== "number" || v.shape![i] === d);
  if (v.type !== type || !shapeOk)
    problems.push(`${kind} ${name} is ${fmtShape(v)}, expected ${want}`);
  return v;
}

/**
 * Validates a generator's metadata and signature against the contract (and against what the
 * caller needs); returns the parsed metadata. Throws CONTRACT_MISMATCH listing every problem.
 */
export function checkContract(info: OnnxModelInfo, need: ContractNeeds = {}): GeneratorMetadata {
  const problems: string[] = [];
  const m = info.metadata;
  const imageSize = intMeta(m, "image_size", problems);
  const shots = intMeta(m, "k_shot", problems);
  const fusedPositions = intMeta(m, "n_positions", problems);
  const gridSize = intMeta(m, "grid_size", problems);
  const classNames = listMeta(m, "class_names", problems, true);
  if (gridSize > 0 && fusedPositions > gridSize * gridSize) {
    problems.push(`n_positions ${fusedPositions} exceeds the ${gridSize}×${gridSize} feature grid`);
  }
  const ok = imageSize > 0 && shots > 0 && fusedPositions > 0;
  const s = ok ? imageSize : null;
  checkValue(
    "input",
    info.inputs,
    "images",
    "float32",
    [null, ok ? shots : null, 3, s, s],
    problems,
  );
  checkValue("input", info.inputs, "coefficients", "float32", [null, ok ? shots : null], problems);
  checkValue(
    "input",
    info.inputs,
    "positions",
    "int64",
    [null, ok ? fusedPositions : null],
    problems,
  );
  checkValue("output", info.outputs, "image", "float32", [null, 3, s, s], problems);

  if (need.imageSize !== undefined && imageSize > 0 && need.imageSize !== imageSize) {
    problems.push(`model image size is ${imageSize} px, expected ${need.imageSize} px`);
  }
  if (need.shots !== undefined && shots > 0 && need.shots !== shots) {
    problems.push(`model takes K = ${shots} shots, expected K = ${need.shots}`);
  }
  if (need.classNames) {
    const missing = need.classNames.filter((c) => !classNames.includes(c));
    if (missing.length) problems.push(`model does not know the classes: ${missing.join(", ")}`);
  }
  if (problems.length) {
    throw new GeneratorError(
      "CONTRACT_MISMATCH",
      `generator contract not met: ${problems.join("; ")}`,
      problems,
    );
  }
  const step = m.training_step;
  return {
    imageSize,
    shots,
    fusedPositions,
    gridSize,
    classNames,
    seenClasses: listMeta(m, "seen_classes", [], false),
    unseenClasses: listMeta(m, "unseen_classes", [], false),
    version: m.version ?? "",
    model: m.model ?? "",
    // Python writes str(None) for an unknown step
    trainingStep: step !== undefined && /^\d+$/.test(step) ? Number(step) : null,
    trainingConfig: m.training_config ?? "",
  };
}

/** Validates a critic against the contract and, when given, the generator it sits beside. */
export function checkCriticContract(
  info: OnnxModelInfo,
  generator?: GeneratorMetadata,
): CriticMetadata {
  const problems: string[] = [];
  const imageSize = intMeta(info.metadata, "image_size", problems);
  const classNames = listMeta(info.metadata, "class_names", problems, true);
  const s = imageSize > 0 ? imageSize : null;
  checkValue("input", info.inputs, "image", "float32", [null, 3, s, s], problems);
  checkValue("output", info.outputs, "realism", "float32", [null], problems);
  const logits = checkValue(
    "output",
    info.outputs,
    "class_logits",
    "float32",
    [null, null],
    problems,
  );
  const features = checkValue(
    "output",
    info.outputs,
    "features",
    "float32",
    [null, null],
    problems,
  );
  const c = logits?.shape?.[1];
  if (typeof c === "number" && c !== classNames.length) {
    problems.push(
      `class_logits has ${c} classes but metadata class_names lists ${classNames.length}`,
    );
  }
  if (generator && imageSize > 0 && imageSize !== generator.imageSize) {
    problems.push(
      `critic image size ${imageSize} px differs from the generator's ${generator.imageSize} px`,
    );
  }
  if (problems.length) {
    throw new GeneratorError(
      "CONTRACT_MISMATCH",
      `critic contract not met: ${problems.join("; ")}`,
      problems,
    );
  }
  const f = features?.shape?.[1];
  return { imageSize, classNames, featureSize: typeof f === "number" ? f : null };
}
