import { operation } from "../graphql/client";
import type { Split } from "../images/images.graphql";
import type { DatasetFormat, JobStatus } from "../imports/imports.graphql";

export type SyntheticInclusion = "NONE" | "ACCEPTED";

export interface ExportJob {
  id: string;
  status: JobStatus;
  format: DatasetFormat;
  splits: Split[];
  includeSynthetic: SyntheticInclusion;
  syntheticShareCap: number | null;
  images: number;
  boxes: number;
  bytes: number | null;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
  url: string | null;
}

const EXPORT_JOB_FIELDS = `
  id status format splits includeSynthetic syntheticShareCap images boxes bytes message
  createdAt finishedAt url
`;

export const EXPORT_VERSION = operation<
  { exportVersion: ExportJob },
  {
    versionId: string;
    format: DatasetFormat;
    splits: Split[] | null;
    includeSynthetic: SyntheticInclusion;
    syntheticShareCap: number | null;
  }
>(`
  mutation ExportVersion(
    $versionId: ID!
    $format: DatasetFormat!
    $splits: [Split!]
    $includeSynthetic: SyntheticInclusion
    $syntheticShareCap: Float
  ) {
    exportVersion(
      versionId: $versionId
      format: $format
      splits: $splits
      includeSynthetic: $includeSynthetic
      syntheticShareCap: $syntheticShareCap
    ) { ${EXPORT_JOB_FIELDS} }
  }
`);

export const EXPORT_JOB = operation<{ exportJob: ExportJob | null }, { id: string }>(`
  query ExportJob($id: ID!) {
    exportJob(id: $id) { ${EXPORT_JOB_FIELDS} }
  }
`);

export const EXPORT_JOB_UPDATED = operation<{ exportJobUpdated: ExportJob }, { id: string }>(`
  subscription ExportJobUpdated($id: ID!) {
    exportJobUpdated(id: $id) { ${EXPORT_JOB_FIELDS} }
  }
`);
