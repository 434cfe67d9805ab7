import { operation } from "../graphql/client";
import type { Split } from "../images/images.graphql";

export interface DatasetVersion {
  id: string;
  number: number;
  note: string;
  images: number;
  boxes: number;
  manifestSha256: string;
  createdAt: string;
}

const VERSION_FIELDS = "id number note images boxes manifestSha256 createdAt";

export interface VersionDiffImage {
  sha256: string;
  filename: string;
  split: Split;
  boxes: number;
}

export interface VersionDiffChange {
  sha256: string;
  filename: string;
  boxesBefore: number;
  boxesAfter: number;
  boxesAdded: number;
  boxesRemoved: number;
}

export interface ClassDelta {
  className: string;
  imagesBefore: number;
  imagesAfter: number;
  imagesDelta: number;
  boxesBefore: number;
  boxesAfter: number;
  boxesDelta: number;
}

export interface VersionDiff {
  from: Pick<DatasetVersion, "id" | "number">;
  to: Pick<DatasetVersion, "id" | "number">;
  imagesAdded: number;
  imagesRemoved: number;
  imagesChanged: number;
  added: VersionDiffImage[];
  removed: VersionDiffImage[];
  changed: VersionDiffChange[];
  truncated: boolean;
  classDeltas: ClassDelta[];
}

export const VERSIONS = operation<{ versions: DatasetVersion[] }, { datasetId: string }>(`
  query Versions($datasetId: ID!) {
    versions(datasetId: $datasetId) { ${VERSION_FIELDS} }
  }
`);

export const CREATE_VERSION = operation<
  { createVersion: DatasetVersion },
  { datasetId: string; note: string | null }
>(`
  mutation CreateVersion($datasetId: ID!, $note: String) {
    createVersion(datasetId: $datasetId, note: $note) { ${VERSION_FIELDS} }
  }
`);

export const VERSION_DIFF = operation<
  { versionDiff: VersionDiff },
  { fromId: string; toId: string }
>(`
  query VersionDiff($fromId: ID!, $toId: ID!) {
    versionDiff(fromId: $fromId, toId: $toId) {
      from { id number }
      to { id number }
      imagesAdded imagesRemoved imagesChanged truncated
      added { sha256 filename split boxes }
      removed { sha256 filename split boxes }
      changed { sha256 filename boxesBefore boxesAfter boxesAdded boxesRemoved }
      classDeltas { className imagesBefore imagesAfter imagesDelta boxesBefore boxesAfter boxesDelta }
    }
  }
`);
