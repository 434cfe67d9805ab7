// The demo a new user lands on: a dataset of procedural inspection scenes with a long-tailed class
// distribution, so the balance chart and the fill plan have something to say. Besides the defect
// classes, every scene's insulator strings are labelled with the `insulator` class, a host object
// (outside the balance and the fill plan, and a clean host may carry it), and the defects that sit
// on insulators name it as their host class, so composite fills place them on an insulator string.
// Idempotent: it only creates what is missing. A database that already holds the demo dataset
// keeps it as it was seeded (without insulator boxes if seeded before they existed): the dataset is
// never re-seeded or migrated; delete it to get the current demo.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { Config } from "@gridfill/config";
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import {
  addImageFromBuffer,
  createDataset,
  ensureAdmin,
  registerModelBytes,
  updateClass,
} from "@gridfill/core";
import { seedDemoContext } from "@gridfill/core/iot/demo.ts";
import type { importPredictionTable } from "@gridfill/core/predictions/import.ts";
import { seedDemoPredictions } from "./demo-predictions.ts";
import {
  composeScene,
  DEFECT_CLASSES,
  INSULATOR_CLASS,
  renderScene,
  type ClassInfo,
  type SceneObject,
} from "@gridfill/scenes";

export const DEMO_DATASET = "demo-insulators";
export const DEMO_EMAIL = "demo@gridfill.local";
const DEMO_IMAGES = 60;
/** Real TRAIN images every demo class gets at least: each can be filled (K = 3), even the rarest by 8 under the default 50% synthetic share cap. */
const MIN_TRAIN_PER_CLASS = 8;
/** Defect-free train scenes: the clean hosts composite fills blend new defects into. */
const DEMO_CLEAN_SCENES = 10;
/** The host-object classes of the demo: the insulator strings the scenes label. */
const DEMO_HOST_OBJECTS: readonly ClassInfo[] = [INSULATOR_CLASS];
/** Every class the demo labels: the defects, then the host objects. */
const DEMO_CLASS_NAMES = new Set<string>(
  [...DEFECT_CLASSES, ...DEMO_HOST_OBJECTS].map((c) => c.name),
);
/** Scene options of every demo image: 640×480, with the insulator strings' boxes. */
const SCENE = { width: 640, height: 480, includeNormalParts: true } as const;
export const DEMO_MODEL = { name: "mvsa-gan-demo", version: "64px-step1200" } as const;
const DEMO_MODEL_DIR = new URL("../../../packages/mvsa-gan/models/demo/", import.meta.url);

/** The model card's measured numbers, per class, from the evaluation report beside the model. */
function demoModelMetrics(): Record<string, unknown> {
  const report = JSON.parse(readFileSync(new URL("eval/scenes.json", DEMO_MODEL_DIR), "utf8")) as {
    classes: Record<
      string,
      {
        generators: Record<
          string,
          { fd_dom: number; diversity: number; memorisation: { near_copy_rate: number } }
        >;
      }
    >;
    downstream: Record<string, { f1: { mean: number } }>;
    models: { mvsa: { step: number } };
  };
  return {
    card: "packages/mvsa-gan/models/demo/MODEL_CARD.md",
    status: "pipeline demo, undertrained",
    trainingStep: report.models.mvsa.step,
    fdDomByClass: Object.fromEntries(
      Object.entries(report.classes).map(([c, r]) => [c, r.generators.mvsa?.fd_dom ?? null]),
    ),
    nearCopyRateByClass: Object.fromEntries(
      Object.entries(report.classes).map(([c, r]) => [
        c,
        r.generators.mvsa?.memorisation.near_copy_rate ?? null,
      ]),
    ),
    downstreamF1: Object.fromEntries(
      Object.entries(report.downstream).map(([k, v]) => [k, v.f1.mean]),
    ),
    ...detectorUtility(),
  };
}

/**
 * What `bench/utility` measured with this model: rare-class AP50 of a detector trained on real
 * scenes only, with copy-paste composites and with this model's composites, all made by the
 * platform. The fill dialog shows it beside the method choice and lets it pick the default.
 */
function detectorUtility(): { detectorUtility?: unknown } {
  const file = new URL("eval/utility-scenes.json", DEMO_MODEL_DIR);
  if (!existsSync(file)) return {};
  return { detectorUtility: JSON.parse(readFileSync(file, "utf8")) as unknown };
}

/** Registers and activates the demo MVSA-GAN export (idempotent), so a new user can fill at once. */
export async function seedDemoModel(
  { prisma, storage }: Pick<SeedDeps, "prisma" | "storage">,
  log: (line: string) => void = () => {},
) {
  const generator = new URL("generator.onnx", DEMO_MODEL_DIR);
  if (!existsSync(generator)) return null;
  const existing = await prisma.modelVersion.findUnique({ where: { name_version: DEMO_MODEL } });
  if (existing) return existing;
  log(`Registering the demo model ${DEMO_MODEL.name} ${DEMO_MODEL.version}…`);
  return registerModelBytes({ prisma, storage }, null, {
    ...DEMO_MODEL,
    generator: readFileSync(generator),
    critic: readFileSync(new URL("critic.onnx", DEMO_MODEL_DIR)),
    metrics: demoModelMetrics(),
    activate: (await prisma.modelVersion.count({ where: { status: "ACTIVE" } })) === 0,
  });
}

function demoClass(c: ClassInfo) {
  return {
    name: c.name,
    title: c.title,
    color: c.color,
    assetType: c.assetType.toUpperCase() as "INSULATOR" | "FITTING" | "CONDUCTOR" | "TOWER",
  };
}

/** A scene's boxes of the demo's classes, as upload annotations. */
function demoAnnotations(objects: readonly SceneObject[]) {
  return objects
    .filter((o) => DEMO_CLASS_NAMES.has(o.name))
    .map((o) => ({
      className: o.name,
      box: {
        x: o.bbox.xmin,
        y: o.bbox.ymin,
        width: o.bbox.xmax - o.bbox.xmin,
        height: o.bbox.ymax - o.bbox.ymin,
      },
    }));
}

type SeedDeps = {
  prisma: PrismaClient;
  storage: Storage;
  config: Config;
  log: (line: string) => void;
  /** The process's pool, for the prediction runs' COPY (a pool of their own on config.databaseUrl otherwise). */
  pool?: Parameters<typeof importPredictionTable>[0]["pool"];
};

export async function seedDemo({ prisma, storage, config, log, pool }: SeedDeps): Promise<{
  credentials: { email: string; password: string } | undefined;
}> {
  let credentials: { email: string; password: string } | undefined;
  if (!config.admin && (await prisma.user.count()) === 0) {
    credentials = { email: DEMO_EMAIL, password: randomBytes(12).toString("base64url") };
    await ensureAdmin(prisma, credentials.email, credentials.password, "Demo admin");
  }

  await seedDemoModel({ prisma, storage }, log);
  if (await prisma.dataset.findUnique({ where: { name: DEMO_DATASET } })) return { credentials };

  log(`Seeding the demo dataset "${DEMO_DATASET}"…`);
  const dataset = await createDataset(prisma, null, {
    name: DEMO_DATASET,
    description:
      "Procedural inspection scenes (insulator strings, fittings, conductors, towers) with a long-tailed defect distribution.",
    classes: [
      ...DEFECT_CLASSES.map((c) => ({ ...demoClass(c), isHostObject: false })),
      ...DEMO_HOST_OBJECTS.map((c) => ({ ...demoClass(c), isHostObject: true })),
    ],
  });
  // A defect of an asset type that has a host-object class sits on that class's boxes (crack,
  // missing cap, flashover burn and contamination on the insulator string).
  const seeded = await prisma.defectClass.findMany({ where: { datasetId: dataset.id } });
  const idOf = (name: string) => seeded.find((c) => c.name === name)!.id;
  for (const host of DEMO_HOST_OBJECTS)
    for (const c of DEFECT_CLASSES.filter((d) => d.assetType === host.assetType))
      await updateClass(prisma, null, idOf(c.name), { hostClassId: idOf(host.name) });

  const splits = [
    "TRAIN",
    "TRAIN",
    "TRAIN",
    "TRAIN",
    "TRAIN",
    "TRAIN",
    "TRAIN",
    "VAL",
    "TEST",
    "TEST",
  ] as const;
  for (let i = 0; i < DEMO_IMAGES; i++) {
    const scene = await renderScene(1000 + i, SCENE);
    await addImageFromBuffer(
      { prisma, storage, config },
      {
        datasetId: dataset.id,
        buffer: scene.png,
        filename: `scene-${String(i).padStart(3, "0")}.png`,
        split: splits[i % splits.length],
        tags: ["demo"],
        annotations: demoAnnotations(scene.objects),
        actor: null,
      },
    );
    if ((i + 1) % 20 === 0) log(`  ${i + 1}/${DEMO_IMAGES} demo images`);
  }

  // The long tail stays long, but every defect class gets enough real train images to be filled.
  const trainImages = new Map<string, number>();
  for (const row of await prisma.imageClass.groupBy({
    by: ["classId"],
    where: { datasetId: dataset.id, split: "TRAIN", origin: "REAL" },
    _count: { _all: true },
  }))
    trainImages.set(row.classId, row._count._all);
  const classes = DEFECT_CLASSES.map((c) => seeded.find((k) => k.name === c.name)!);
  let seed = 5000;
  let extra = 0;
  for (const c of classes) {
    let have = trainImages.get(c.id) ?? 0;
    while (have < MIN_TRAIN_PER_CLASS && seed < 9000) {
      const composed = composeScene(seed, SCENE);
      seed++;
      if (!composed.objects.some((o) => o.name === c.name)) continue;
      const scene = await renderScene(seed - 1, SCENE);
      await addImageFromBuffer(
        { prisma, storage, config },
        {
          datasetId: dataset.id,
          buffer: scene.png,
          filename: `scene-${String(DEMO_IMAGES + extra).padStart(3, "0")}.png`,
          split: "TRAIN",
          tags: ["demo"],
          annotations: demoAnnotations(scene.objects),
          actor: null,
        },
      );
      extra++;
      for (const o of new Set(scene.objects.map((d) => d.name))) {
        const id = classes.find((k) => k.name === o)?.id;
        if (id) trainImages.set(id, (trainImages.get(id) ?? 0) + 1);
      }
      have = trainImages.get(c.id) ?? 0;
    }
  }
  if (extra)
    log(
      `  ${extra} more demo images so that every class has ${MIN_TRAIN_PER_CLASS} real train images`,
    );
  for (let i = 0; i < DEMO_CLEAN_SCENES; i++) {
    // No defect, only insulator strings (host objects): a clean host.
    const scene = await renderScene(20_000 + i, { ...SCENE, defects: [] });
    await addImageFromBuffer(
      { prisma, storage, config },
      {
        datasetId: dataset.id,
        buffer: scene.png,
        filename: `clean-${String(i).padStart(3, "0")}.png`,
        split: "TRAIN",
        tags: ["demo", "clean"],
        annotations: demoAnnotations(scene.objects),
        actor: null,
      },
    );
  }
  log(`  ${DEMO_CLEAN_SCENES} defect-free demo scenes (clean hosts for composite fills)`);
  const context = await seedDemoContext(prisma, dataset.id);
  log(
    `  capture times, towers and cameras for ${context.images} images, ${context.readings} readings`,
  );
  const predictions = await seedDemoPredictions(
    { prisma, storage, pool, databaseUrl: config.databaseUrl },
    dataset.id,
  );
  log(
    `  version ${predictions.version} with ${predictions.runs.length} prediction runs on its test split (${predictions.runs.map((r) => r.name).join(", ")})`,
  );
  return { credentials };
}
