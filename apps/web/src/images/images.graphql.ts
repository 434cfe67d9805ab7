import { operation } from "../graphql/client";
import { DEFECT_CLASS_FIELDS, type DefectClass } from "../classes/classes.graphql";
import type { Annotation } from "../annotations/annotations.graphql";

export type Split = "TRAIN" | "VAL" | "TEST" | "UNASSIGNED";
export type Origin = "REAL" | "SYNTHETIC";
export type ReviewState = "NONE" | "PENDING" | "ACCEPTED" | "REJECTED";

export const SPLITS: readonly Split[] = ["TRAIN", "VAL", "TEST", "UNASSIGNED"];
export const ORIGINS: readonly Origin[] = ["REAL", "SYNTHETIC"];
export const REVIEW_STATES: readonly ReviewState[] = ["NONE", "PENDING", "ACCEPTED", "REJECTED"];

export type PredictionErrorKind = "FALSE_POSITIVE" | "FALSE_NEGATIVE";
export const PREDICTION_ERROR_KINDS: readonly PredictionErrorKind[] = [
  "FALSE_POSITIVE",
  "FALSE_NEGATIVE",
];

export interface PredictionErrorFilter {
  runId: string;
  /** Any class when absent. */
  classId?: string;
  kind: PredictionErrorKind;
  iou?: number;
  confidence?: number;
}

export interface ImageFilter {
  classId?: string;
  splits?: Split[];
  origin?: Origin;
  reviewState?: ReviewState;
  tags?: string[];
  capturedAfter?: string;
  capturedBefore?: string;
  predictionError?: PredictionErrorFilter;
}

/** What a grid tile needs: the thumbnail and, per box, only its class. */
export interface ImageTileData {
  id: string;
  filename: string;
  width: number;
  height: number;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  tags: string[];
  capturedAt: string | null;
  thumbnailUrl: string;
  annotations: { id: string; defectClass: { id: string } }[];
}

export interface ImagePage {
  edges: { cursor: string; node: ImageTileData }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  totalCountCapped: boolean;
}

export const IMAGES = operation<
  { images: ImagePage },
  { datasetId: string; filter: ImageFilter; first: number; after: string | null }
>(`
  query Images($datasetId: ID!, $filter: ImageFilter, $first: Int, $after: String) {
    images(datasetId: $datasetId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id filename width height split origin reviewState tags capturedAt thumbnailUrl
          annotations { id defectClass { id } }
        }
      }
      pageInfo { hasNextPage endCursor }
      totalCount totalCountCapped
    }
  }
`);

/** Only ids and cursors: used to find an image's neighbours for previous / next. */
export const IMAGE_IDS = operation<
  {
    images: {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { datasetId: string; filter: ImageFilter; first: number; after: string | null }
>(`
  query ImageIds($datasetId: ID!, $filter: ImageFilter, $first: Int, $after: String) {
    images(datasetId: $datasetId, filter: $filter, first: $first, after: $after) {
      edges { node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const IMAGE_TAGS = operation<{ imageTags: string[] }, { datasetId: string }>(`
  query ImageTags($datasetId: ID!) { imageTags(datasetId: $datasetId) }
`);

export interface ImageDetail {
  id: string;
  filename: string;
  sha256: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  split: Split;
  origin: Origin;
  reviewState: ReviewState;
  tags: string[];
  capturedAt: string | null;
  createdAt: string;
  url: string;
  latitude: number | null;
  longitude: number | null;
  tower: { id: string; name: string } | null;
  device: { id: string; name: string } | null;
  dataset: { id: string; name: string; classes: DefectClass[] };
  annotations: Annotation[];
}

export const IMAGE = operation<{ image: ImageDetail | null }, { id: string }>(`
  query Image($id: ID!) {
    image(id: $id) {
      id filename sha256 mimeType width height bytes split origin reviewState tags capturedAt createdAt url
      latitude longitude tower { id name } device { id name }
      dataset { id name classes { ${DEFECT_CLASS_FIELDS} } }
      annotations { id source defectClass { id } box { x y width height } }
    }
  }
`);

export interface UploadTicket {
  uploadId: string | null;
  url: string | null;
  headers: Record<string, string> | null;
  expiresAt: string | null;
  duplicateOf: { id: string; filename: string } | null;
}

export const REQUEST_UPLOAD = operation<
  { requestUpload: UploadTicket },
  {
    datasetId: string;
    input: { filename: string; sha256: string; bytes: number; mimeType: string };
  }
>(`
  mutation RequestUpload($datasetId: ID!, $input: UploadRequestInput!) {
    requestUpload(datasetId: $datasetId, input: $input) {
      uploadId url headers expiresAt duplicateOf { id filename }
    }
  }
`);

export const CONFIRM_UPLOAD = operation<
  { confirmUpload: { duplicate: boolean; image: { id: string; filename: string } } },
  { datasetId: string; uploadId: string }
>(`
  mutation ConfirmUpload($datasetId: ID!, $uploadId: ID!) {
    confirmUpload(datasetId: $datasetId, uploadId: $uploadId) { duplicate image { id filename } }
  }
`);

export const SET_IMAGE_SPLIT = operation<
  { setImageSplit: number },
  { imageIds: string[]; split: Split }
>(`
  mutation SetImageSplit($imageIds: [ID!]!, $split: Split!) { setImageSplit(imageIds: $imageIds, split: $split) }
`);

export const ADD_IMAGE_TAGS = operation<
  { addImageTags: number },
  { imageIds: string[]; tags: string[] }
>(`
  mutation AddImageTags($imageIds: [ID!]!, $tags: [String!]!) { addImageTags(imageIds: $imageIds, tags: $tags) }
`);

export const REMOVE_IMAGE_TAGS = operation<
  { removeImageTags: number },
  { imageIds: string[]; tags: string[] }
>(`
  mutation RemoveImageTags($imageIds: [ID!]!, $tags: [String!]!) {
    removeImageTags(imageIds: $imageIds, tags: $tags)
  }
`);

export const SET_IMAGE_CAPTURE = operation<
  { setImageCapture: { id: string; capturedAt: string | null } },
  { imageId: string; capturedAt: string | null }
>(`
  mutation SetImageCapture($imageId: ID!, $capturedAt: DateTime) {
    setImageCapture(imageId: $imageId, capturedAt: $capturedAt) { id capturedAt }
  }
`);

export const DELETE_IMAGES = operation<{ deleteImages: number }, { imageIds: string[] }>(`
  mutation DeleteImages($imageIds: [ID!]!) { deleteImages(imageIds: $imageIds) }
`);
