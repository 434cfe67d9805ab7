"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { useDataset } from "../datasets/DatasetContext";
import { IMAGES, IMAGE_TAGS, type ImageTileData } from "./images.graphql";
import {
  clearFilters,
  emptyErrorsTitle,
  isFiltered,
  parseBrowseQuery,
  serializeBrowseQuery,
  toImageFilter,
  type BrowseQuery,
} from "./browseQuery";
import {
  EMPTY_SELECTION,
  retain,
  selectAll,
  selectRange,
  toggle,
  type Selection,
} from "./selection";
import { saveBrowseSession } from "./browseSession";
import { ImageFilters } from "./ImageFilters";
import { ImageTile, type ClassLook } from "./ImageGrid";
import { BulkBar, type BulkChange } from "./BulkBar";
import { UploadDialog } from "./UploadDialog";
import { PredictionErrorControls } from "../predictions/PredictionErrorControls";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount } from "../ui/format";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";

const PAGE_SIZE = 60;

interface GridState {
  images: ImageTileData[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
  totalCountCapped: boolean;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

export function ImageBrowser() {
  const { dataset, refresh: refreshDataset } = useDataset();
  const user = useSessionUser();
  const canEdit = hasRole(user, "CURATOR");
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const queryString = searchParams.toString();
  const query = useMemo(() => parseBrowseQuery(new URLSearchParams(queryString)), [queryString]);
  const filter = useMemo(() => toImageFilter(query), [query]);
  const filterKey = JSON.stringify(filter);

  const [grid, setGrid] = useState<GridState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [uploading, setUploading] = useState(false);
  const [reloadToken, setReloadToken] = useState(0);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  const tags = useQuery(IMAGE_TAGS, { datasetId: dataset.id });

  const classLooks = useMemo(
    () =>
      new Map<string, ClassLook>(
        dataset.classes.map((defectClass) => [defectClass.id, defectClass]),
      ),
    [dataset.classes],
  );

  // First page whenever the filter changes (or after uploads / deletes).
  useEffect(() => {
    const mine = ++generation.current;
    setGrid(null);
    setError(null);
    gql(IMAGES, {
      datasetId: dataset.id,
      filter: JSON.parse(filterKey),
      first: PAGE_SIZE,
      after: null,
    })
      .then(({ images }) => {
        if (mine !== generation.current) return;
        setGrid({
          images: images.edges.map((edge) => edge.node),
          endCursor: images.pageInfo.endCursor,
          hasNextPage: images.pageInfo.hasNextPage,
          totalCount: images.totalCount,
          totalCountCapped: images.totalCountCapped,
        });
      })
      .catch((caught: unknown) => {
        if (mine === generation.current) setError(caught);
      });
  }, [dataset.id, filterKey, reloadToken]);

  const loadMore = useCallback(async () => {
    if (!grid?.hasNextPage || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const { images } = await gql(IMAGES, {
        datasetId: dataset.id,
        filter: JSON.parse(filterKey),
        first: PAGE_SIZE,
        after: grid.endCursor,
      });
      if (mine !== generation.current) return;
      setGrid((previous) => {
        if (!previous) return previous;
        const seen = new Set(previous.images.map((image) => image.id));
        return {
          images: [
            ...previous.images,
            ...images.edges.map((edge) => edge.node).filter((image) => !seen.has(image.id)),
          ],
          endCursor: images.pageInfo.endCursor,
          hasNextPage: images.pageInfo.hasNextPage,
          totalCount: images.totalCount,
          totalCountCapped: images.totalCountCapped,
        };
      });
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [grid, loadingMore, dataset.id, filterKey]);

  // Infinite scroll: fetch the next page as the sentinel below the grid nears the viewport.
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !grid?.hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMore();
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [grid, loadMore]);

  const order = useMemo(() => grid?.images.map((image) => image.id) ?? [], [grid]);

  useEffect(() => {
    setSelection((current) => retain(current, order));
    if (grid) {
      saveBrowseSession({
        datasetId: dataset.id,
        query: queryString,
        filter,
        ids: order,
        endCursor: grid.endCursor,
        hasNextPage: grid.hasNextPage,
      });
    }
  }, [order, grid, dataset.id, queryString, filter]);

  // Ctrl/Cmd-A selects every loaded image; Escape clears the selection.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTyping(event.target) || uploading) return;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
        event.preventDefault();
        setSelection(selectAll(order));
      } else if (event.key === "Escape") {
        setSelection(EMPTY_SELECTION);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [order, uploading]);

  const onSelect = useCallback(
    (id: string, event: MouseEvent) => {
      setSelection((current) =>
        event.shiftKey ? selectRange(current, order, id) : toggle(current, id),
      );
    },
    [order],
  );

  function setQuery(next: BrowseQuery) {
    const search = serializeBrowseQuery(next);
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  }

  const reload = useCallback(() => {
    setReloadToken((token) => token + 1);
    void refreshDataset();
    void tags.refetch();
  }, [refreshDataset, tags]);

  function applyBulk(ids: string[], change: BulkChange) {
    const affected = new Set(ids);
    setGrid((previous) => {
      if (!previous) return previous;
      if (change.kind === "delete") {
        return {
          ...previous,
          images: previous.images.filter((image) => !affected.has(image.id)),
          totalCount: Math.max(0, previous.totalCount - ids.length),
        };
      }
      return {
        ...previous,
        images: previous.images.map((image) => {
          if (!affected.has(image.id)) return image;
          if (change.kind === "split") return { ...image, split: change.split };
          if (change.kind === "addTags")
            return { ...image, tags: [...new Set([...image.tags, ...change.tags])] };
          return { ...image, tags: image.tags.filter((tag) => !change.tags.includes(tag)) };
        }),
      };
    });
    if (change.kind === "delete") {
      setSelection(EMPTY_SELECTION);
      void refreshDataset();
    }
    if (change.kind !== "split") void tags.refetch();
  }

  const selectedIds = order.filter((id) => selection.ids.has(id));
  const errorsTitle = emptyErrorsTitle(
    query,
    dataset.classes.find((defectClass) => defectClass.id === query.errorClassId)?.name ?? null,
  );
  const detailSuffix = queryString ? `?from=${encodeURIComponent(queryString)}` : "";

  return (
    <main className="page page--wide image-browser">
      <div className="image-browser__head">
        <div className="image-browser__count" data-testid="image-total-count">
          {grid ? (
            <>
              <strong>
                {formatCount(grid.totalCount)}
                {grid.totalCountCapped ? "+" : ""}
              </strong>{" "}
              {grid.totalCount === 1 ? "image" : "images"}
              {isFiltered(query) ? " match" : ""}
              {grid.images.length < grid.totalCount && (
                <span className="muted"> · {formatCount(grid.images.length)} loaded</span>
              )}
            </>
          ) : (
            <span className="muted">Counting…</span>
          )}
        </div>
        <p className="muted image-browser__hint">
          Click the corner box or Shift-click to select · Ctrl/⌘-A all · Esc clears
        </p>
        {canEdit && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => setUploading(true)}
            data-testid="open-upload"
          >
            Upload images
          </button>
        )}
      </div>

      <ImageFilters
        query={query}
        classes={dataset.classes}
        knownTags={tags.data?.imageTags ?? []}
        onChange={setQuery}
      />

      <PredictionErrorControls
        datasetId={dataset.id}
        classes={dataset.classes}
        query={query}
        onChange={setQuery}
      />

      {selectedIds.length > 0 && canEdit && (
        <BulkBar
          selectedIds={selectedIds}
          loadedCount={order.length}
          onApplied={applyBulk}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
      )}

      {error && !grid ? (
        <LoadError error={error} onRetry={reload} />
      ) : !grid ? (
        <Spinner label="Loading images…" />
      ) : grid.images.length === 0 ? (
        isFiltered(query) ? (
          <EmptyState title={errorsTitle ?? "No images match these filters"} testId="images-empty">
            {errorsTitle && (
              <button
                type="button"
                className="button"
                onClick={() => setQuery({ ...query, errorKind: null })}
              >
                Stop filtering by errors
              </button>
            )}
            <button type="button" className="button" onClick={() => setQuery(clearFilters(query))}>
              Clear filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No images in this dataset yet" testId="images-empty">
            <p>Upload inspection photos; they go straight to storage and duplicates are skipped.</p>
            {canEdit && (
              <button
                type="button"
                className="button button--primary"
                onClick={() => setUploading(true)}
              >
                Upload images
              </button>
            )}
          </EmptyState>
        )
      ) : (
        <>
          <ul className="tile-grid" data-testid="image-grid" aria-multiselectable="true">
            {grid.images.map((image) => (
              <ImageTile
                key={image.id}
                image={image}
                href={`/images/${image.id}${detailSuffix}`}
                selected={selection.ids.has(image.id)}
                selecting={selection.ids.size > 0}
                classes={classLooks}
                onSelect={onSelect}
              />
            ))}
          </ul>
          <div ref={sentinel} className="scroll-sentinel" aria-hidden="true" />
          {loadingMore && <Spinner label="Loading more…" />}
          {error !== null && grid && <LoadError error={error} onRetry={() => void loadMore()} />}
          {!grid.hasNextPage && grid.images.length > PAGE_SIZE && (
            <p className="center muted">End of the list.</p>
          )}
        </>
      )}

      <UploadDialog
        datasetId={dataset.id}
        open={uploading}
        onClose={() => setUploading(false)}
        onUploaded={reload}
      />
    </main>
  );
}
