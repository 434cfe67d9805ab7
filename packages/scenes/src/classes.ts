/** The label vocabulary of generated datasets. */

export type AssetType = "insulator" | "fitting" | "conductor" | "tower";

export interface ClassInfo {
  /** Label written to annotations. */
  name: string;
  /** Human-readable title for review tools. */
  title: string;
  /** Which grid asset the class appears on. */
  assetType: AssetType;
  /** Box colour for review tools (hex). */
  color: string;
}

export const DEFECT_CLASSES = [
  {
    name: "missing_cap",
    title: "Missing cap (disc gap)",
    assetType: "insulator",
    color: "#e6194b",
  },
  { name: "flashover_burn", title: "Flashover burn", assetType: "insulator", color: "#f58231" },
  { name: "crack", title: "Cracked disc", assetType: "insulator", color: "#ffe119" },
  { name: "corrosion", title: "Corrosion", assetType: "fitting", color: "#9a6324" },
  { name: "bird_nest", title: "Bird nest", assetType: "tower", color: "#3cb44b" },
  {
    name: "contamination",
    title: "Surface contamination",
    assetType: "insulator",
    color: "#42d4f4",
  },
  {
    name: "broken_damper",
    title: "Broken vibration damper",
    assetType: "fitting",
    color: "#911eb4",
  },
  {
    name: "foreign_object",
    title: "Foreign object on conductor",
    assetType: "conductor",
    color: "#f032e6",
  },
] as const satisfies readonly ClassInfo[];

export type DefectClassName = (typeof DEFECT_CLASSES)[number]["name"];

export const DEFECT_CLASS_NAMES: readonly DefectClassName[] = DEFECT_CLASSES.map((c) => c.name);

/** Normal-part class emitted for context so detectors learn what healthy strings look like. */
export const INSULATOR_CLASS = {
  name: "insulator",
  title: "Insulator string",
  assetType: "insulator",
  color: "#4363d8",
} as const satisfies ClassInfo;

export type ObjectClassName = DefectClassName | typeof INSULATOR_CLASS.name;

/**
 * Default frequency ranking for the long-tail distribution, most common first:
 * surface contamination and corrosion dominate field inspections, while cracks
 * and foreign objects are the rare classes few-shot fills target.
 */
export const DEFAULT_CLASS_ORDER: readonly DefectClassName[] = [
  "contamination",
  "corrosion",
  "bird_nest",
  "flashover_burn",
  "broken_damper",
  "missing_cap",
  "foreign_object",
  "crack",
];

export function isDefectClassName(value: string): value is DefectClassName {
  return (DEFECT_CLASS_NAMES as readonly string[]).includes(value);
}
