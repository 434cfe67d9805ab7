// The demo a new user lands on: a dataset of procedural inspection scenes with a long-tailed class
// distribution, so the balance chart and the fill plan have something to say. Idempotent: it only
// creates what is missing.
import { randomBytes } from "node:crypto";
import type { Config } from "@gridfill/config";
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import { addImageFromBuffer, createDataset, ensureAdmin } from "@gridfill/api";
import { DEFECT_CLASSES, renderScene } from "@gridfill/scenes";

export const DEMO_DATASET = "demo-insulators";
export const DEMO_EMAIL = "demo@gridfill.local";
const DEMO_IMAGES = 60;

type SeedDeps = { prisma: PrismaClient; storage: Storage; config: Config; log: (line: string) => void };

export async function seedDemo({ prisma, storage, config, log }: SeedDeps): Promise<{
  credentials: { email: string; password: string } | undefined;
}> {
  let credentials: { email: string; password: string } | undefined;
  if (!config.admin && (await prisma.user.count()) === 0) {
    credentials = { email: DEMO_EMAIL, password: randomBytes(12).toString("base64url") };
    await ensureAdmin(prisma, credentials.email, credentials.password, "Demo admin");
  }

  if (await prisma.dataset.findUnique({ where: { name: DEMO_DATASET } })) return { credentials };

  log(`Seeding the demo dataset "${DEMO_DATASET}"…`);
  const dataset = await createDataset(prisma, null, {
    name: DEMO_DATASET,
    description:
      "Procedural inspection scenes (insulator strings, fittings, conductors, towers) with a long-tailed defect distribution.",
    classes: DEFECT_CLASSES.map((c) => ({
      name: c.name,
      title: c.title,
      color: c.color,
      assetType: c.assetType.toUpperCase() as "INSULATOR" | "FITTING" | "CONDUCTOR" | "TOWER",
    })),
  });

  const splits = ["TRAIN", "TRAIN", "TRAIN", "TRAIN", "TRAIN", "TRAIN", "TRAIN", "VAL", "TEST", "TEST"] as const;
  for (let i = 0; i < DEMO_IMAGES; i++) {
    const scene = await renderScene(1000 + i, { width: 640, height: 480, includeNormalParts: false });
    const defects = scene.objects.filter((o) => DEFECT_CLASSES.some((c) => c.name === o.name));
    await addImageFromBuffer(
      { prisma, storage, config },
      {
        datasetId: dataset.id,
        buffer: scene.png,
        filename: `scene-${String(i).padStart(3, "0")}.png`,
        split: splits[i % splits.length],
        tags: ["demo"],
        annotations: defects.map((o) => ({
          className: o.name,
          box: {
            x: o.bbox.xmin,
            y: o.bbox.ymin,
            width: o.bbox.xmax - o.bbox.xmin,
            height: o.bbox.ymax - o.bbox.ymin,
          },
        })),
        actor: null,
      },
    );
    if ((i + 1) % 20 === 0) log(`  ${i + 1}/${DEMO_IMAGES} demo images`);
  }
  return { credentials };
}
