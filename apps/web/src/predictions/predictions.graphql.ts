import { operation } from "../graphql/client";
import type { Split } from "../images/images.graphql";

export type RunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
export type PredictionFormat = "COCO" | "YOLO" | "VOC";
export const PREDICTION_FORMATS: readonly PredictionFormat[] = ["COCO", "YOLO", "VOC"];
export type LabelErrorKind = "MISSING_LABEL" | "SPURIOUS_LABEL" | "CLASS_CONFUSION";
export type LabelDecisionAction = "CONFIRM" | "FIX" | "DELETE" | "DISMISS";

export interface PredictionRun {
  id: string;
  name: string;
  status: RunStatus;
  split: Split;
  versionNumber: number;
  format: PredictionFormat | null;
  predictionCount: number;
  unknownImages: string[];
  errors: { file: string; code: string; message: string }[];
  /** Images a detector run has gone through, of `total` (null until it starts). */
  done: number;
  total: number | null;
  message: string | null;
  createdAt: string;
}

const RUN_FIELDS = `id name status split versionNumber format predictionCount unknownImages
  errors { file code message } done total message createdAt`;

export const PREDICTION_RUNS = operation<
  { predictionRuns: { edges: { node: PredictionRun }[] } },
  { datasetId: string }
>(`
  query PredictionRuns($datasetId: ID!) {
    predictionRuns(datasetId: $datasetId, first: 50) { edges { node { ${RUN_FIELDS} } } }
  }
`);

export const PREDICTION_RUN = operation<{ predictionRun: PredictionRun | null }, { id: string }>(`
  query PredictionRun($id: ID!) { predictionRun(id: $id) { ${RUN_FIELDS} } }
`);

export const REQUEST_PREDICTION_UPLOAD = operation<
  { requestPredictionUpload: { key: string; url: string; headers: Record<string, string> | null } },
  { datasetId: string; bytes: number }
>(`
  mutation RequestPredictionUpload($datasetId: ID!, $bytes: Float!) {
    requestPredictionUpload(datasetId: $datasetId, bytes: $bytes) { key url headers }
  }
`);

export const IMPORT_PREDICTIONS = operation<
  { importPredictions: PredictionRun },
  {
    datasetId: string;
    version: number;
    split: Split;
    format: PredictionFormat;
    source: string;
    name: string | null;
  }
>(`
  mutation ImportPredictions($datasetId: ID!, $version: Int!, $split: Split!,
    $format: DatasetFormat!, $source: String!, $name: String) {
    importPredictions(datasetId: $datasetId, version: $version, split: $split, format: $format,
      source: $source, name: $name) { ${RUN_FIELDS} }
  }
`);

export const REQUEST_DETECTOR_UPLOAD = operation<
  { requestDetectorUpload: { key: string; url: string; headers: Record<string, string> | null } },
  { datasetId: string; bytes: number }
>(`
  mutation RequestDetectorUpload($datasetId: ID!, $bytes: Int!) {
    requestDetectorUpload(datasetId: $datasetId, bytes: $bytes) { key url headers }
  }
`);

export const RUN_DETECTOR = operation<
  { runDetector: PredictionRun },
  {
    datasetId: string;
    version: number;
    split: Split;
    source: string;
    sha256: string;
    name: string | null;
    minScore: number | null;
  }
>(`
  mutation RunDetector($datasetId: ID!, $version: Int!, $split: Split!, $source: String!,
    $sha256: String!, $name: String, $minScore: Float) {
    runDetector(datasetId: $datasetId, version: $version, split: $split, source: $source,
      sha256: $sha256, name: $name, minScore: $minScore) { ${RUN_FIELDS} }
  }
`);

export interface PrPoint {
  recall: number;
  precision: number;
  score: number | null;
}

export interface ClassEvaluation {
  defectClass: { id: string; name: string; color: string };
  truths: number;
  predictions: number;
  ap50: number | null;
  ap75: number | null;
  ap: number | null;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  curve: PrPoint[];
}

export interface Evaluation {
  iou: number;
  confidence: number;
  images: number;
  map50: number | null;
  map: number | null;
  classes: ClassEvaluation[];
  confusionLabels: string[];
  confusion: number[][];
}

export const EVALUATION = operation<
  { evaluation: Evaluation },
  { runId: string; iou: number; confidence: number }
>(`
  query Evaluation($runId: ID!, $iou: Float, $confidence: Float) {
    evaluation(runId: $runId, iou: $iou, confidence: $confidence) {
      iou confidence images map50 map confusionLabels confusion
      classes {
        defectClass { id name color }
        truths predictions ap50 ap75 ap truePositives falsePositives falseNegatives
        precision recall f1 curve { recall precision score }
      }
    }
  }
`);

export interface ClassComparison {
  defectClass: { id: string; name: string; color: string };
  truths: number;
  base: { ap50: number | null; ap: number | null; recall: number };
  other: { ap50: number | null; ap: number | null; recall: number };
  ap50Delta: number | null;
  apDelta: number | null;
}

export const COMPARE_RUNS = operation<
  {
    compareRuns: {
      base: { map50: number | null; map: number | null };
      other: { map50: number | null; map: number | null };
      mapDelta: number | null;
      classes: ClassComparison[];
    };
  },
  { baseRunId: string; otherRunId: string }
>(`
  query CompareRuns($baseRunId: ID!, $otherRunId: ID!) {
    compareRuns(baseRunId: $baseRunId, otherRunId: $otherRunId) {
      base { map50 map } other { map50 map } mapDelta
      classes {
        defectClass { id name color } truths
        base { ap50 ap recall } other { ap50 ap recall } ap50Delta apDelta
      }
    }
  }
`);

export interface CandidateBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelErrorCandidate {
  key: string;
  kind: LabelErrorKind;
  score: number | null;
  iou: number | null;
  image: { id: string; filename: string; width: number; height: number; url: string };
  prediction: { id: string; box: CandidateBox } | null;
  annotation: { id: string; box: CandidateBox } | null;
  defectClass: { id: string; name: string; color: string };
  predictedClass: { id: string; name: string; color: string } | null;
}

export const LABEL_ERROR_CANDIDATES = operation<
  { labelErrorCandidates: { totalCount: number; candidates: LabelErrorCandidate[] } },
  { runId: string; confidence: number }
>(`
  query LabelErrorCandidates($runId: ID!, $confidence: Float) {
    labelErrorCandidates(runId: $runId, first: 100, confidence: $confidence) {
      totalCount
      candidates {
        key kind score iou
        image { id filename width height url }
        prediction { id box { x y width height } }
        annotation { id box { x y width height } }
        defectClass { id name color }
        predictedClass { id name color }
      }
    }
  }
`);

export const ACCEPT_PREDICTION = operation<
  { acceptPrediction: { id: string } },
  { runId: string; predictionId: string }
>(`
  mutation AcceptPrediction($runId: ID!, $predictionId: ID!) {
    acceptPrediction(runId: $runId, predictionId: $predictionId) { id }
  }
`);

export const DECIDE_LABEL_ERROR = operation<
  { decideLabelError: { key: string } },
  { runId: string; key: string; action: LabelDecisionAction; classId: string | null }
>(`
  mutation DecideLabelError($runId: ID!, $key: ID!, $action: LabelDecisionAction!, $classId: ID) {
    decideLabelError(runId: $runId, key: $key, action: $action, classId: $classId) { key }
  }
`);

export const ACCEPT_PREDICTIONS_ABOVE = operation<
  { acceptPredictionsAbove: { boxes: number; images: number } },
  { runId: string; minScore: number }
>(`
  mutation AcceptPredictionsAbove($runId: ID!, $minScore: Float!) {
    acceptPredictionsAbove(runId: $runId, minScore: $minScore) { boxes images }
  }
`);

export interface ImagePrediction {
  id: string;
  score: number;
  box: CandidateBox;
  defectClass: { id: string; name: string; color: string };
}

export const IMAGE_PREDICTIONS = operation<
  {
    predictionRun: {
      id: string;
      predictions: { edges: { node: ImagePrediction }[] };
    } | null;
  },
  { runId: string; imageId: string; minScore: number }
>(`
  query ImagePredictions($runId: ID!, $imageId: ID!, $minScore: Float) {
    predictionRun(id: $runId) {
      id
      predictions(first: 200, imageId: $imageId, minScore: $minScore) {
        edges { node { id score box { x y width height } defectClass { id name color } } }
      }
    }
  }
`);
