"use client";

import { useEffect, useState } from "react";
import { gql, type DataOf } from "../graphql/client";
import { IMAGE_IDS, type ImageFilter } from "./images.graphql";
import { loadBrowseSession, saveBrowseSession, type BrowseSession } from "./browseSession";

export interface Neighbours {
  previousId: string | null;
  nextId: string | null;
  /** 1-based position in the list being stepped through, when known. */
  position: number | null;
  /** Whether the list is the browser's filtered view (true) or the whole dataset (false). */
  filtered: boolean;
}

const FALLBACK_SCAN_LIMIT = 1000;

/**
 * Previous / next image in the order the browser showed them (same filter), fetching the
 * next page when the current image is the last one loaded. Opened from a bare link, it steps
 * through the whole dataset instead.
 */
export function useImageNeighbours(datasetId: string | undefined, imageId: string): Neighbours {
  const [neighbours, setNeighbours] = useState<Neighbours>({
    previousId: null,
    nextId: null,
    position: null,
    filtered: false,
  });

  useEffect(() => {
    if (!datasetId) return;
    let cancelled = false;

    async function resolve(id: string): Promise<void> {
      let session: BrowseSession | null = loadBrowseSession(datasetId!);
      if (!session || !session.ids.includes(id)) session = await scanDataset(datasetId!, id);
      if (!session || cancelled) return;
      let index = session.ids.indexOf(id);
      // The last loaded image: load the browser's next page so "next" keeps going.
      if (index === session.ids.length - 1 && session.hasNextPage && session.endCursor) {
        const { images } = await gql(IMAGE_IDS, {
          datasetId: datasetId!,
          filter: session.filter,
          first: 100,
          after: session.endCursor,
        });
        session = {
          ...session,
          ids: [
            ...session.ids,
            ...images.edges
              .map((edge) => edge.node.id)
              .filter((next) => !session!.ids.includes(next)),
          ],
          endCursor: images.pageInfo.endCursor,
          hasNextPage: images.pageInfo.hasNextPage,
        };
        saveBrowseSession(session);
        index = session.ids.indexOf(id);
      }
      if (cancelled || index === -1) return;
      setNeighbours({
        previousId: session.ids[index - 1] ?? null,
        nextId: session.ids[index + 1] ?? null,
        position: index + 1,
        filtered: Object.keys(session.filter).length > 0,
      });
    }

    resolve(imageId).catch(() => {
      // Stepping is a convenience: without it the page still works.
      if (!cancelled)
        setNeighbours({ previousId: null, nextId: null, position: null, filtered: false });
    });
    return () => {
      cancelled = true;
    };
  }, [datasetId, imageId]);

  return neighbours;
}

/** Walks the unfiltered dataset until it finds the image (bounded, for direct links). */
async function scanDataset(datasetId: string, imageId: string): Promise<BrowseSession | null> {
  const filter: ImageFilter = {};
  const ids: string[] = [];
  let after: string | null = null;
  let hasNextPage = true;
  while (hasNextPage && ids.length < FALLBACK_SCAN_LIMIT) {
    const page: DataOf<typeof IMAGE_IDS> = await gql(IMAGE_IDS, {
      datasetId,
      filter,
      first: 200,
      after,
    });
    const images = page.images;
    ids.push(...images.edges.map((edge) => edge.node.id));
    after = images.pageInfo.endCursor;
    hasNextPage = images.pageInfo.hasNextPage;
    const index = ids.indexOf(imageId);
    if (index !== -1 && index < ids.length - 1) break;
  }
  if (!ids.includes(imageId)) return null;
  const session: BrowseSession = {
    datasetId,
    query: "",
    filter,
    ids,
    endCursor: after,
    hasNextPage,
  };
  saveBrowseSession(session);
  return session;
}
