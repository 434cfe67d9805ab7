/**
 * What the image browser last listed, kept in sessionStorage so the image page can offer
 * previous / next in the same order and filter without the API having a "neighbours" query.
 */
import type { ImageFilter } from "./images.graphql";

export interface BrowseSession {
  datasetId: string;
  /** The browser's query string, to go back to the same view. */
  query: string;
  filter: ImageFilter;
  ids: string[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const KEY = "gridfill:browse";

export function saveBrowseSession(session: BrowseSession): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage full or disabled: previous / next falls back to the unfiltered dataset order.
  }
}

export function loadBrowseSession(datasetId: string): BrowseSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as BrowseSession;
    return session.datasetId === datasetId && Array.isArray(session.ids) ? session : null;
  } catch {
    return null;
  }
}
