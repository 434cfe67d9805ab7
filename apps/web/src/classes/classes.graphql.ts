import { nextClassColor } from "@gridfill/balance";
import { operation } from "../graphql/client";

export type AssetType = "INSULATOR" | "FITTING" | "CONDUCTOR" | "TOWER" | "OTHER";

export const ASSET_TYPES: readonly AssetType[] = [
  "INSULATOR",
  "FITTING",
  "CONDUCTOR",
  "TOWER",
  "OTHER",
];

export interface DefectClass {
  id: string;
  name: string;
  title: string;
  color: string;
  assetType: AssetType;
  parent: { id: string; name: string } | null;
  /** The class this defect sits on; composite fills place it inside that class's boxes. */
  hostClass?: { id: string; name: string } | null;
  /** An object class (insulator, tower): not a fill target, its boxes leave a host clean. */
  isHostObject?: boolean;
}

export const DEFECT_CLASS_FIELDS = `id name title color assetType parent { id name } hostClass { id name } isHostObject`;

export interface ClassInput {
  name?: string;
  title?: string;
  color?: string;
  assetType?: AssetType;
  parentId?: string | null;
  hostClassId?: string | null;
  isHostObject?: boolean;
}

export const CREATE_CLASS = operation<
  { createClass: DefectClass },
  { datasetId: string; input: ClassInput & { name: string } }
>(`
  mutation CreateClass($datasetId: ID!, $input: CreateClassInput!) {
    createClass(datasetId: $datasetId, input: $input) { ${DEFECT_CLASS_FIELDS} }
  }
`);

export const UPDATE_CLASS = operation<
  { updateClass: DefectClass },
  { id: string; input: ClassInput }
>(`
  mutation UpdateClass($id: ID!, $input: UpdateClassInput!) {
    updateClass(id: $id, input: $input) { ${DEFECT_CLASS_FIELDS} }
  }
`);

export const DELETE_CLASS = operation<{ deleteClass: boolean }, { id: string }>(`
  mutation DeleteClass($id: ID!) { deleteClass(id: $id) }
`);

/**
 * Colours for `count` new classes after those already `used`, in the order the API hands them out
 * (one palette for console and API: `@gridfill/balance`).
 */
export function nextClassColors(used: readonly string[], count: number): string[] {
  const colors = [...used];
  for (let i = 0; i < count; i++) colors.push(nextClassColor(colors));
  return colors.slice(used.length);
}

/** Class names are identifiers (snake_case); titles are what people read. */
export function toClassName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Splits "crack, Flashover burn,  missing pin" into distinct class names. */
export function parseClassList(raw: string): string[] {
  const names = raw
    .split(/[,\n]/)
    .map(toClassName)
    .filter((name) => name.length > 0);
  return [...new Set(names)];
}
