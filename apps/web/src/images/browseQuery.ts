/**
 * The image browser's filter lives in the URL query so a view can be shared and survives reloads:
 *   ?class=<id>&split=TRAIN,VAL&origin=REAL&review=PENDING&tag=a&tag=b&from=2024-05-01T00:00&to=…
 * `from` / `to` are local date-times, as a datetime-local input shows them.
 */
import {
  ORIGINS,
  REVIEW_STATES,
  SPLITS,
  type ImageFilter,
  type Origin,
  type ReviewState,
  type Split,
} from "./images.graphql";

export interface BrowseQuery {
  classId: string | null;
  splits: Split[];
  origin: Origin | null;
  reviewState: ReviewState | null;
  tags: string[];
  capturedFrom: string;
  capturedTo: string;
}

export const EMPTY_BROWSE_QUERY: BrowseQuery = {
  classId: null,
  splits: [],
  origin: null,
  reviewState: null,
  tags: [],
  capturedFrom: "",
  capturedTo: "",
};

function oneOf<T extends string>(allowed: readonly T[], raw: string | null): T | null {
  return raw && (allowed as readonly string[]).includes(raw) ? (raw as T) : null;
}

export function parseBrowseQuery(params: URLSearchParams): BrowseQuery {
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
  return filter;
}

export function isFiltered(query: BrowseQuery): boolean {
  return serializeBrowseQuery(query) !== "";
}
