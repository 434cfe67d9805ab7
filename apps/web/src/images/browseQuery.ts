/**
 * The image browser's filter lives in the URL query so a view can be shared and survives reloads:
 *   ?class=<id>&split=TRAIN,VAL&origin=REAL&review=PENDING&tag=a&tag=b&from=2024-05-01T00:00&to=…
 * `from` / `to` are local date-times, as a datetime-local input shows them. A prediction run adds
 *   &run=<id>&conf=0.35&errors=FALSE_NEGATIVE&errorClass=<id>
 * (the confidence only when it is not the default; `errors` filters, the run alone does not).
 */
import {
  ORIGINS,
  PREDICTION_ERROR_KINDS,
  REVIEW_STATES,
  SPLITS,
  type ImageFilter,
  type Origin,
  type PredictionErrorKind,
  type ReviewState,
  type Split,
} from "./images.graphql";

/** The confidence a run's predictions count from until the slider moves. */
export const DEFAULT_CONFIDENCE = 0.5;

export interface BrowseQuery {
  classId: string | null;
  splits: Split[];
  origin: Origin | null;
  reviewState: ReviewState | null;
  tags: string[];
  capturedFrom: string;
  capturedTo: string;
  /** The prediction run whose errors can be filtered. */
  runId: string | null;
  /** Predictions of the run count from this score. */
  confidence: number;
  /** Only images with errors of this kind (with a run). */
  errorKind: PredictionErrorKind | null;
  /** The class of those errors; any class when null. */
  errorClassId: string | null;
}

export const EMPTY_BROWSE_QUERY: BrowseQuery = {
  classId: null,
  splits: [],
  origin: null,
  reviewState: null,
  tags: [],
  capturedFrom: "",
  capturedTo: "",
  runId: null,
  confidence: DEFAULT_CONFIDENCE,
  errorKind: null,
  errorClassId: null,
};

function confidenceOf(raw: string | null): number {
  const value = raw === null || raw.trim() === "" ? NaN : Number(raw);
  return value >= 0 && value <= 1 ? value : DEFAULT_CONFIDENCE;
}

function oneOf<T extends string>(allowed: readonly T[], raw: string | null): T | null {
  return raw && (allowed as readonly string[]).includes(raw) ? (raw as T) : null;
}

export function parseBrowseQuery(params: URLSearchParams): BrowseQuery {
  const runId = params.get("run") || null;
  const splits = (params.get("split") ?? "")
    .split(",")
    .map((value) => oneOf(SPLITS, value.trim().toUpperCase()))
    .filter((value): value is Split => value !== null);
  return {
    classId: params.get("class") || null,
    splits: [...new Set(splits)],
    origin: oneOf(ORIGINS, params.get("origin")?.toUpperCase() ?? null),
    reviewState: oneOf(REVIEW_STATES, params.get("review")?.toUpperCase() ?? null),
    tags: [
      ...new Set(
        params
          .getAll("tag")
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ],
    capturedFrom: params.get("from") ?? "",
    capturedTo: params.get("to") ?? "",
    runId,
    confidence: runId ? confidenceOf(params.get("conf")) : DEFAULT_CONFIDENCE,
    errorKind: runId
      ? oneOf(PREDICTION_ERROR_KINDS, params.get("errors")?.toUpperCase() ?? null)
      : null,
    errorClassId: runId ? params.get("errorClass") || null : null,
  };
}

export function serializeBrowseQuery(query: BrowseQuery): string {
  const params = new URLSearchParams();
  if (query.classId) params.set("class", query.classId);
  if (query.splits.length > 0) params.set("split", query.splits.join(","));
  if (query.origin) params.set("origin", query.origin);
  if (query.reviewState) params.set("review", query.reviewState);
  for (const tag of query.tags) params.append("tag", tag);
  if (query.capturedFrom) params.set("from", query.capturedFrom);
  if (query.capturedTo) params.set("to", query.capturedTo);
  if (query.runId) {
    params.set("run", query.runId);
    if (query.confidence !== DEFAULT_CONFIDENCE) params.set("conf", query.confidence.toFixed(2));
    if (query.errorKind) params.set("errors", query.errorKind);
    if (query.errorClassId) params.set("errorClass", query.errorClassId);
  }
  return params.toString();
}

function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The GraphQL ImageFilter for a browse query (absent fields mean "any"). */
export function toImageFilter(query: BrowseQuery): ImageFilter {
  const filter: ImageFilter = {};
  if (query.classId) filter.classId = query.classId;
  if (query.splits.length > 0) filter.splits = query.splits;
  if (query.origin) filter.origin = query.origin;
  if (query.reviewState) filter.reviewState = query.reviewState;
  if (query.tags.length > 0) filter.tags = query.tags;
  const after = localToIso(query.capturedFrom);
  const before = localToIso(query.capturedTo);
  if (after) filter.capturedAfter = after;
  if (before) filter.capturedBefore = before;
  if (query.runId && query.errorKind) {
    filter.predictionError = {
      runId: query.runId,
      kind: query.errorKind,
      confidence: query.confidence,
      ...(query.errorClassId ? { classId: query.errorClassId } : {}),
    };
  }
  return filter;
}

/** Whether the grid shows a subset (a run chosen without an error kind filters nothing). */
export function isFiltered(query: BrowseQuery): boolean {
  return Object.keys(toImageFilter(query)).length > 0;
}

/** The query without its filters, keeping the chosen run and its confidence. */
export function clearFilters(query: BrowseQuery): BrowseQuery {
  return { ...EMPTY_BROWSE_QUERY, runId: query.runId, confidence: query.confidence };
}

/** What an empty grid says under the prediction-error filter (null without it). */
export function emptyErrorsTitle(query: BrowseQuery, className: string | null): string | null {
  if (!query.runId || !query.errorKind) return null;
  const kind = query.errorKind === "FALSE_POSITIVE" ? "false positives" : "false negatives";
  const others = isFiltered({ ...query, errorKind: null }) ? " with these filters" : "";
  return `No image has ${kind} of ${className ?? "any class"} at confidence ${query.confidence.toFixed(2)}${others}`;
}
