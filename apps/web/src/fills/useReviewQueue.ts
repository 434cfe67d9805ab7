"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import {
  PENDING_REVIEW,
  REQUEST_REVIEW,
  REVIEW_IMAGES,
  type ReviewDecision,
  type ReviewItem,
} from "./fills.graphql";
import {
  goTo,
  move,
  reload,
  remove,
  restore,
  selectedIds,
  toggleAll,
  toggleSelected,
  type QueueState,
  type Removed,
} from "./reviewQueue";

const PAGE_SIZE = 50;

export interface Decision {
  decision: Exclude<ReviewDecision, "RESET">;
  removed: Removed<ReviewItem>[];
}

/** Which pending images the queue holds: a fill request's, or the dataset's (of one class). */
export interface ReviewScope {
  datasetId: string;
  requestId: string | null;
  classId: string | null;
  /** Curators decide; anyone else only looks. */
  canReview: boolean;
}

async function loadPending(
  datasetId: string,
  requestId: string | null,
  classId: string | null,
): Promise<{ items: ReviewItem[]; total: number; requestFound: boolean }> {
  if (requestId) {
    const { fillRequest } = await gql(REQUEST_REVIEW, { id: requestId, first: 100 });
    const items = (fillRequest?.images ?? []).filter((image) => image.reviewState === "PENDING");
    return { items, total: items.length, requestFound: fillRequest !== null };
  }
  const { images } = await gql(PENDING_REVIEW, { datasetId, classId, first: PAGE_SIZE });
  return {
    items: images.edges.map((edge) => edge.node),
    total: images.totalCount,
    requestFound: true,
  };
}

/**
 * The review queue's state and actions: loads the pending images, takes decided ones out at once,
 * sends decisions in order (so an undo never overtakes what it undoes) and puts images back,
 * with the API's message, when a decision is refused.
 */
export function useReviewQueue(scope: ReviewScope) {
  const { datasetId, requestId, classId, canReview } = scope;
  const [queue, setQueue] = useState<QueueState<ReviewItem>>({
    items: [],
    index: 0,
    selected: new Set(),
  });
  const [loaded, setLoaded] = useState(false);
  const [total, setTotal] = useState(0);
  const [requestFound, setRequestFound] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [actionError, setActionError] = useState<string | null>(null);
  const [saving, setSaving] = useState(0);
  const [history, setHistoryState] = useState<Decision[]>([]);
  const historyRef = useRef<Decision[]>([]);
  const setHistory = useCallback((change: (previous: Decision[]) => Decision[]) => {
    historyRef.current = change(historyRef.current);
    setHistoryState(historyRef.current);
  }, []);
  const [decidedCount, setDecidedCount] = useState(0);
  // Decisions since the last page came: what separates the API's pending total from what is left.
  const [decidedSinceLoad, setDecidedSinceLoad] = useState(0);
  // Decided here and not undone: a reload must not bring them back while their write is in flight.
  const decided = useRef(new Set<string>());
  // Decisions are sent one after another, so an undo never overtakes the decision it undoes.
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  // Keys can come faster than renders: every change goes through the ref, then to the state.
  const queueRef = useRef(queue);
  const update = useCallback(
    (change: (previous: QueueState<ReviewItem>) => QueueState<ReviewItem>) => {
      queueRef.current = change(queueRef.current);
      setQueue(queueRef.current);
    },
    [],
  );

  const refresh = useCallback(async () => {
    try {
      const page = await loadPending(datasetId, requestId, classId);
      update((previous) => reload(previous, page.items, decided.current));
      setTotal(page.total);
      setDecidedSinceLoad(0);
      setRequestFound(page.requestFound);
      setLoadError(undefined);
    } catch (caught) {
      setLoadError(caught);
    } finally {
      setLoaded(true);
    }
  }, [datasetId, requestId, classId, update]);

  useEffect(() => {
    decided.current = new Set();
    setHistory(() => []);
    setDecidedCount(0);
    setLoaded(false);
    update(() => ({ items: [], index: 0, selected: new Set() }));
    void refresh();
  }, [refresh, setHistory, update]);

  // The page ran dry but the API said there were more: fetch the next ones.
  const exhausted = loaded && queue.items.length === 0 && saving === 0;
  const moreOnServer = total > decidedSinceLoad;
  useEffect(() => {
    if (exhausted && moreOnServer && !requestId) void refresh();
  }, [exhausted, moreOnServer, refresh, requestId]);

  const send = useCallback(
    (imageIds: string[], decision: ReviewDecision, onFailure: () => void) => {
      setSaving((n) => n + 1);
      chain.current = chain.current
        .then(() => gql(REVIEW_IMAGES, { imageIds, decision }))
        .catch((caught: unknown) => {
          setActionError(
            `${decision === "RESET" ? "Undo" : decision === "ACCEPT" ? "Accepting" : "Rejecting"} failed: ${errorMessage(caught)}`,
          );
          onFailure();
        })
        .finally(() => setSaving((n) => n - 1));
    },
    [],
  );

  const decide = useCallback(
    (ids: string[], decision: Decision["decision"]) => {
      if (!canReview || ids.length === 0) return;
      setActionError(null);
      const result = remove(queueRef.current, ids);
      if (result.removed.length === 0) return;
      const decidedIds = result.removed.map((entry) => entry.item.id);
      for (const id of decidedIds) decided.current.add(id);
      update(() => result.state);
      setDecidedCount((n) => n + decidedIds.length);
      setDecidedSinceLoad((n) => n + decidedIds.length);
      const entry: Decision = { decision, removed: result.removed };
      setHistory((previous) => [...previous, entry]);
      send(decidedIds, decision, () => {
        for (const id of decidedIds) decided.current.delete(id);
        update((previous) => restore(previous, result.removed));
        setDecidedCount((n) => n - decidedIds.length);
        setDecidedSinceLoad((n) => Math.max(0, n - decidedIds.length));
        setHistory((previous) => previous.filter((item) => item !== entry));
      });
    },
    [canReview, send, setHistory, update],
  );

  const undo = useCallback(() => {
    const last = historyRef.current[historyRef.current.length - 1];
    if (!last || !canReview) return;
    setActionError(null);
    const ids = last.removed.map((entry) => entry.item.id);
    setHistory((previous) => previous.slice(0, -1));
    for (const id of ids) decided.current.delete(id);
    update((previous) => restore(previous, last.removed));
    setDecidedCount((n) => n - ids.length);
    setDecidedSinceLoad((n) => Math.max(0, n - ids.length));
    send(ids, "RESET", () => {
      for (const id of ids) decided.current.add(id);
      update((previous) => remove(previous, ids).state);
      setDecidedCount((n) => n + ids.length);
      setDecidedSinceLoad((n) => n + ids.length);
    });
  }, [canReview, send, setHistory, update]);

  /** Decides the current image, as of the last key press (renders may lag behind). */
  const decideCurrent = useCallback(
    (decision: Decision["decision"]) => {
      const here = queueRef.current.items[queueRef.current.index];
      if (here) decide([here.id], decision);
    },
    [decide],
  );
  const decideSelected = useCallback(
    (decision: Decision["decision"]) => decide(selectedIds(queueRef.current), decision),
    [decide],
  );
  const step = useCallback(
    (delta: number) => update((previous) => move(previous, delta)),
    [update],
  );
  const show = useCallback(
    (index: number) => update((previous) => goTo(previous, index)),
    [update],
  );
  const toggle = useCallback(
    (id: string) => update((previous) => toggleSelected(previous, id)),
    [update],
  );
  const toggleCurrent = useCallback(() => {
    const here = queueRef.current.items[queueRef.current.index];
    if (here) toggle(here.id);
  }, [toggle]);
  const selectAll = useCallback(() => update(toggleAll), [update]);

  const selected = useMemo(() => selectedIds(queue), [queue]);

  return {
    queue,
    current: queue.items[queue.index] ?? null,
    selectedIds: selected,
    loaded,
    requestFound,
    loadError,
    actionError,
    dismissActionError: () => setActionError(null),
    saving,
    canUndo: history.length > 0,
    decidedCount,
    /** Pending images left: the request's, or the API's total less what was decided here. */
    remaining: requestId ? queue.items.length : Math.max(0, total - decidedSinceLoad),
    refresh,
    decide,
    decideCurrent,
    decideSelected,
    undo,
    step,
    show,
    toggle,
    toggleCurrent,
    selectAll,
  };
}

export type ReviewQueueModel = ReturnType<typeof useReviewQueue>;
