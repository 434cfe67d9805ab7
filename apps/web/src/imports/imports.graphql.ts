import { operation } from "../graphql/client";
import type { Split } from "../images/images.graphql";

export type DatasetFormat = "VOC" | "COCO" | "YOLO";
export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

export const DATASET_FORMATS: readonly DatasetFormat[] = ["VOC", "COCO", "YOLO"];

export function isJobFinished(status: JobStatus): boolean {
  return status === "SUCCEEDED" || status === "FAILED";
}

export interface ImportFileError {
  file: string;
  code: string;
  message: string;
}

export interface ImportJob {
  id: string;
  status: JobStatus;
  format: DatasetFormat;
  split: Split | null;
  imagesAdded: number;
  duplicates: number;
  boxesAdded: { className: string; boxes: number }[];
  errors: ImportFileError[];
  errorCount: number;
  done: number;
  total: number | null;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const IMPORT_JOB_FIELDS = `
  id status format split imagesAdded duplicates boxesAdded { className boxes }
  errors { file code message } errorCount done total message createdAt startedAt finishedAt
`;

export const REQUEST_IMPORT_UPLOAD = operation<
  {
    requestImportUpload: {
      key: string;
      url: string;
      headers: Record<string, string>;
      expiresAt: string;
    };
  },
  { datasetId: string; bytes: number }
>(`
  mutation RequestImportUpload($datasetId: ID!, $bytes: Float!) {
    requestImportUpload(datasetId: $datasetId, bytes: $bytes) { key url headers expiresAt }
  }
`);

export const START_IMPORT = operation<
  { startImport: ImportJob },
  {
    datasetId: string;
    format: DatasetFormat;
    source: string;
    split: Split | null;
    classMap?: Record<string, string | null> | null;
  }
>(`
  mutation StartImport(
    $datasetId: ID!
    $format: DatasetFormat!
    $source: String!
    $split: Split
    $classMap: JSON
  ) {
    startImport(
      datasetId: $datasetId
      format: $format
      source: $source
      split: $split
      classMap: $classMap
    ) {
      ${IMPORT_JOB_FIELDS}
    }
  }
`);

export const IMPORT_JOB = operation<{ importJob: ImportJob | null }, { id: string }>(`
  query ImportJob($id: ID!) {
    importJob(id: $id) { ${IMPORT_JOB_FIELDS} }
  }
`);

export const IMPORT_JOB_UPDATED = operation<{ importJobUpdated: ImportJob }, { id: string }>(`
  subscription ImportJobUpdated($id: ID!) {
    importJobUpdated(id: $id) { ${IMPORT_JOB_FIELDS} }
  }
`);
