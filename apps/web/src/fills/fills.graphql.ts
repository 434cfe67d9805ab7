import { operation } from "../graphql/client";
import type { ReviewState } from "../images/images.graphql";

export type FillStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
export type ReviewDecision = "ACCEPT" | "REJECT" | "RESET";
export type FillMethod = "MODEL" | "COPY_PASTE";
export type FillOutput = "COMPOSITE" | "CROP";
export type HostChoice = "CLEAN_ONLY" | "ANY";

export const ACTIVE_FILL_STATUSES: readonly FillStatus[] = ["QUEUED", "RUNNING"];

interface ClassRef {
  id: string;
  name: string;
  title: string;
  color: string;
}

const CLASS_REF = `id name title color`;

/** One fill request as the fills page lists it. */
export interface FillRequest {
  id: string;
  defectClass: ClassRef;
  /** Null for copy-paste fills. */
  model: { id: string; name: string; version: string } | null;
  method: FillMethod;
  output: FillOutput;
  /** Candidates per image the critic chose from (1: no selection). */
  bestOf: number;
  count: number;
  completed: number;
  status: FillStatus;
  seed: string;
  error: string | null;
  executionProvider: string | null;
  requestedBy: { id: string; name: string; email: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
}

const FILL_REQUEST_FIELDS = `
  id count completed status seed error executionProvider createdAt startedAt finishedAt cancelledAt
  method output bestOf
  defectClass { ${CLASS_REF} }
  model { id name version }
  requestedBy { id name email }
`;

export const FILL_REQUESTS = operation<
  { fillRequests: FillRequest[] },
  { datasetId: string; first: number }
>(`
  query FillRequests($datasetId: ID!, $first: Int) {
    fillRequests(datasetId: $datasetId, first: $first) { ${FILL_REQUEST_FIELDS} }
  }
`);

/** Pushed by the API over graphql-ws whenever one of the dataset's requests moves. */
export const FILL_REQUESTS_UPDATED = operation<
  { fillRequestsUpdated: FillRequest },
  { datasetId: string }
>(`
  subscription FillRequestsUpdated($datasetId: ID!) {
    fillRequestsUpdated(datasetId: $datasetId) { ${FILL_REQUEST_FIELDS} }
  }
`);

export interface RequestFillInput {
  datasetId: string;
  classId: string;
  count: number;
  modelVersionId?: string | null;
  seed?: string | null;
  method?: FillMethod;
  output?: FillOutput;
  hosts?: HostChoice;
  /** Model fills whose model has a critic: candidates per image, the critic's best kept. */
  bestOf?: number;
}

export const REQUEST_FILL = operation<{ requestFill: FillRequest }, { input: RequestFillInput }>(`
  mutation RequestFill($input: RequestFillInput!) { requestFill(input: $input) { ${FILL_REQUEST_FIELDS} } }
`);

export const CANCEL_FILL = operation<{ cancelFill: FillRequest }, { id: string }>(`
  mutation CancelFill($id: ID!) { cancelFill(id: $id) { ${FILL_REQUEST_FIELDS} } }
`);

/** What the review queue shows of a synthetic image: the image, its references and scores. */
export interface ReviewItem {
  id: string;
  filename: string;
  width: number;
  height: number;
  url: string;
  thumbnailUrl: string;
  reviewState: ReviewState;
  annotations: { id: string; defectClass: ClassRef; box: Box }[];
  lineage: {
    id: string;
    sampleIndex: number;
    realismProbability: number | null;
    classScore: number | null;
    nearestReferenceDistance: number | null;
    /** Best-of fills: which candidate the critic kept (JSON; read it with `readSelection`). */
    selection: unknown;
    /** Composites: the new box, and the real image it was blended into. */
    placement: Box | null;
    host: { id: string; filename: string; thumbnailUrl: string } | null;
    request: { id: string; defectClass: ClassRef };
    references: {
      imageId: string;
      isBase: boolean;
      coefficient: number;
      box: { x: number; y: number; width: number; height: number };
      image: {
        id: string;
        filename: string;
        width: number;
        height: number;
        thumbnailUrl: string;
        url: string;
      } | null;
    }[];
  } | null;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const REVIEW_ITEM_FIELDS = `
  id filename width height url thumbnailUrl reviewState
  annotations { id defectClass { ${CLASS_REF} } box { x y width height } }
  lineage {
    id sampleIndex realismProbability classScore nearestReferenceDistance selection
    placement { x y width height } host { id filename thumbnailUrl }
    request { id defectClass { ${CLASS_REF} } }
    references { imageId isBase coefficient box { x y width height } image { id filename width height thumbnailUrl url } }
  }
`;

/** The dataset's pending synthetic images, optionally of one class. */
export const PENDING_REVIEW = operation<
  {
    images: {
      edges: { node: ReviewItem }[];
      totalCount: number;
    };
  },
  { datasetId: string; classId: string | null; first: number }
>(`
  query PendingReview($datasetId: ID!, $classId: ID, $first: Int) {
    images(
      datasetId: $datasetId
      filter: { origin: SYNTHETIC, reviewState: PENDING, classId: $classId }
      first: $first
    ) {
      edges { node { ${REVIEW_ITEM_FIELDS} } }
      totalCount
    }
  }
`);

/** The images one fill request made (the queue keeps the pending ones). */
export const REQUEST_REVIEW = operation<
  {
    fillRequest: {
      id: string;
      count: number;
      defectClass: ClassRef;
      images: ReviewItem[];
    } | null;
  },
  { id: string; first: number }
>(`
  query RequestReview($id: ID!, $first: Int) {
    fillRequest(id: $id) {
      id count defectClass { ${CLASS_REF} }
      images(first: $first) { ${REVIEW_ITEM_FIELDS} }
    }
  }
`);

export const REVIEW_IMAGES = operation<
  { reviewImages: { changed: number; images: { id: string; reviewState: ReviewState }[] } },
  { imageIds: string[]; decision: ReviewDecision }
>(`
  mutation ReviewImages($imageIds: [ID!]!, $decision: ReviewDecision!) {
    reviewImages(imageIds: $imageIds, decision: $decision) { changed images { id reviewState } }
  }
`);

export interface Lineage {
  id: string;
  sampleIndex: number;
  seed: string;
  algorithm: string;
  coefficients: number[];
  positions: number[];
  realism: number | null;
  realismProbability: number | null;
  classScore: number | null;
  nearestReferenceDistance: number | null;
  /** Best-of fills: which candidate the critic kept (JSON; read it with `readSelection`). */
  selection: unknown;
  executionProvider: string;
  reviewedAt: string | null;
  createdAt: string;
  image: { id: string; reviewState: ReviewState };
  model: { id: string; name: string; version: string } | null;
  modelSha256: string | null;
  method: FillMethod;
  output: FillOutput;
  hostSha256: string | null;
  placement: Box | null;
  scale: number | null;
  host: {
    id: string;
    filename: string;
    width: number;
    height: number;
    thumbnailUrl: string;
  } | null;
  reviewer: { id: string; name: string; email: string } | null;
  request: {
    id: string;
    count: number;
    status: FillStatus;
    createdAt: string;
    dataset: { id: string };
    defectClass: ClassRef;
  };
  references: {
    imageId: string;
    isBase: boolean;
    coefficient: number;
    box: Box;
    image: {
      id: string;
      filename: string;
      width: number;
      height: number;
      thumbnailUrl: string;
      url: string;
    } | null;
  }[];
}

export const LINEAGE = operation<{ lineage: Lineage | null }, { imageId: string }>(`
  query Lineage($imageId: ID!) {
    lineage(imageId: $imageId) {
      id sampleIndex modelSha256 seed algorithm coefficients positions method output
      hostSha256 scale placement { x y width height } host { id filename width height thumbnailUrl }
      realism realismProbability classScore nearestReferenceDistance selection executionProvider
      reviewedAt createdAt
      image { id reviewState }
      model { id name version }
      reviewer { id name email }
      request { id count status createdAt dataset { id } defectClass { ${CLASS_REF} } }
      references {
        imageId isBase coefficient box { x y width height }
        image { id filename width height thumbnailUrl url }
      }
    }
  }
`);

export interface RegenerateResult {
  originalSha256: string;
  sha256: string;
  identical: boolean;
  executionProvider: string;
  url: string;
}

export const REGENERATE = operation<{ regenerate: RegenerateResult }, { imageId: string }>(`
  mutation Regenerate($imageId: ID!) {
    regenerate(imageId: $imageId) { originalSha256 sha256 identical executionProvider url }
  }
`);

/** One rendered preview sample (stored for a few minutes, never a row). */
export interface FillPreviewSample {
  index: number;
  url: string;
  width: number;
  height: number;
  placement: Box | null;
  boxes: number;
}

export const PREVIEW_FILL = operation<
  { previewFill: { id: string; seed: string; samples: FillPreviewSample[] } },
  { input: RequestFillInput; samples: number }
>(`
  mutation PreviewFill($input: RequestFillInput!, $samples: Int) {
    previewFill(input: $input, samples: $samples) {
      id seed samples { index url width height boxes placement { x y width height } }
    }
  }
`);
