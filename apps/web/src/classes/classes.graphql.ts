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
}

export const DEFECT_CLASS_FIELDS = `id name title color assetType parent { id name }`;

export interface ClassInput {
  name?: string;
  title?: string;
  color?: string;
  assetType?: AssetType;
  parentId?: string | null;
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

/** Distinct colours for defect classes, used when the user does not pick one. */
export const CLASS_PALETTE = [
  "#e6194b",
  "#3cb44b",
  "#4363d8",
  "#f58231",
  "#911eb4",
  "#42d4f4",
  "#f032e6",
  "#bfef45",
  "#fabed4",
  "#469990",
  "#dcbeff",
  "#9a6324",
  "#800000",
  "#aaffc3",
  "#808000",
  "#000075",
] as const;

export function paletteColor(index: number): string {
  return CLASS_PALETTE[index % CLASS_PALETTE.length]!;
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
