/**
 * A small, unbalanced inspection dataset for screenshots and manual checks: six defect classes
 * from common to absent, real images with boxes across the splits, and a few accepted and
 * pending synthetic images for the rare classes.
 */
import sharp from "sharp";
import type { PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Config } from "@gridfill/config";
import { addImageFromBuffer, createDataset } from "@gridfill/core";

const CLASSES = [
  {
    name: "insulator_crack",
    title: "Insulator crack",
    color: "#e6194b",
    assetType: "INSULATOR",
    real: 26,
    accepted: 0,
    pending: 0,
  },
  {
    name: "flashover_burn",
    title: "Flashover burn",
    color: "#f58231",
    assetType: "INSULATOR",
    real: 17,
    accepted: 0,
    pending: 0,
  },
  {
    name: "missing_pin",
    title: "Missing pin",
    color: "#4363d8",
    assetType: "FITTING",
    real: 10,
    accepted: 2,
    pending: 0,
  },
  {
    name: "corroded_clamp",
    title: "Corroded clamp",
    color: "#3cb44b",
    assetType: "FITTING",
    real: 6,
    accepted: 3,
    pending: 2,
  },
  {
    name: "broken_strand",
    title: "Broken strand",
    color: "#911eb4",
    assetType: "CONDUCTOR",
    real: 3,
    accepted: 2,
    pending: 4,
  },
  {
    name: "bird_nest",
    title: "Bird nest",
    color: "#42d4f4",
    assetType: "TOWER",
    real: 0,
    accepted: 0,
    pending: 0,
  },
] as const;

const WIDTH = 640;
const HEIGHT = 480;

/** A deterministic pseudo-random sequence, so the demo looks the same every time. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

function sceneSvg(seed: number, synthetic: boolean): string {
  const random = prng(seed);
  const skyTop = synthetic ? "#8fa9c9" : "#6f9fd8";
  const towerX = 200 + random() * 240;
  const strings = [0, 1, 2]
    .map((i) => {
      const x = towerX - 120 + i * 120;
      const y = 120 + random() * 40;
      return `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 90}" stroke="#d9d4c7" stroke-width="14" stroke-dasharray="6 4"/>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${skyTop}"/><stop offset="1" stop-color="#dfe8f0"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <rect y="${HEIGHT - 70}" width="100%" height="70" fill="#6b7f4a"/>
    <path d="M${towerX - 60} ${HEIGHT - 70} L${towerX - 10} 80 L${towerX + 10} 80 L${towerX + 60} ${HEIGHT - 70}" stroke="#4b5563" stroke-width="6" fill="none"/>
    <path d="M${towerX - 150} 120 H${towerX + 150} M${towerX - 110} 200 H${towerX + 110}" stroke="#4b5563" stroke-width="6"/>
    <path d="M0 ${210 + random() * 30} Q ${WIDTH / 2} ${260 + random() * 40} ${WIDTH} ${200 + random() * 30}" stroke="#1f2937" stroke-width="3" fill="none"/>
    ${strings}
  </svg>`;
}

function boxFor(seed: number, index: number) {
  const random = prng(seed * 31 + index);
  const width = 50 + Math.round(random() * 90);
  const height = 40 + Math.round(random() * 80);
  return {
    x: Math.round(random() * (WIDTH - width)),
    y: Math.round(40 + random() * (HEIGHT - height - 80)),
    width,
    height,
  };
}

const SPLIT_CYCLE = [
  "TRAIN",
  "TRAIN",
  "TRAIN",
  "VAL",
  "TEST",
  "TRAIN",
  "TRAIN",
  "VAL",
  "TRAIN",
  "TEST",
] as const;

export async function seedDemoDataset(
  deps: { prisma: PrismaClient; storage: Storage; config: Config },
  actor: { id: string; email: string },
  name = "tower-inspection-2025",
) {
  const dataset = await createDataset(deps.prisma, actor, {
    name,
    description:
      "UAV inspection photos of 110 kV and 220 kV lines: insulators, fittings, conductors and towers.",
    classes: CLASSES.map(({ name: className, title, color, assetType }) => ({
      name: className,
      title,
      color,
      assetType,
    })),
  });
  let seed = 1;
  for (const defectClass of CLASSES) {
    const kinds = [
      ...Array.from({ length: defectClass.real }, () => ({
        origin: "REAL" as const,
        reviewState: undefined,
      })),
      ...Array.from({ length: defectClass.accepted }, () => ({
        origin: "SYNTHETIC" as const,
        reviewState: "ACCEPTED" as const,
      })),
      ...Array.from({ length: defectClass.pending }, () => ({
        origin: "SYNTHETIC" as const,
        reviewState: "PENDING" as const,
      })),
    ];
    for (const [index, kind] of kinds.entries()) {
      seed++;
      const buffer = await sharp(Buffer.from(sceneSvg(seed, kind.origin === "SYNTHETIC")))
        .png()
        .toBuffer();
      const boxes = 1 + (seed % 3 === 0 ? 1 : 0);
      await addImageFromBuffer(deps, {
        datasetId: dataset.id,
        buffer,
        filename: `${kind.origin === "SYNTHETIC" ? "fill" : "uav"}-${defectClass.name}-${String(index + 1).padStart(3, "0")}.png`,
        split: kind.origin === "SYNTHETIC" ? "TRAIN" : SPLIT_CYCLE[seed % SPLIT_CYCLE.length],
        tags: seed % 4 === 0 ? ["backlit"] : seed % 5 === 0 ? ["line-7", "fog"] : ["line-7"],
        capturedAt: new Date(Date.UTC(2025, 3, 1 + (seed % 28), 6 + (seed % 10), 0)),
        origin: kind.origin,
        ...(kind.reviewState ? { reviewState: kind.reviewState } : {}),
        annotations: Array.from({ length: boxes }, (_, box) => ({
          className: defectClass.name,
          box: boxFor(seed, box),
        })),
        annotationSource: kind.origin === "SYNTHETIC" ? "GENERATED" : "HUMAN",
        actor,
      });
    }
  }
  return dataset;
}
