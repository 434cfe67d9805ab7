"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import Link from "next/link";
import { referenceCropStyle } from "./referenceCrop";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useDataset } from "../datasets/DatasetContext";
import { errorMessage, gql } from "../graphql/client";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import {
  PENDING_REVIEW,
  REQUEST_REVIEW,
  REVIEW_IMAGES,
  type ReviewDecision,
  type ReviewItem,
} from "./fills.graphql";
import {
  move,
  reload,
  remove,
  restore,
  toggleSelected,
  type QueueState,
  type Removed,
} from "./reviewQueue";
import { ErrorBanner } from "../ui/Dialog";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount, formatFraction } from "../ui/format";

const PAGE_SIZE = 50;

export const REVIEW_KEYS: { keys: string; action: string }[] = [
  { keys: "A", action: "Accept the current image" },
  { keys: "R", action: "Reject the current image" },
  { keys: "← / K", action: "Previous image" },
  { keys: "→ / J", action: "Next image" },
  { keys: "Space", action: "Select or unselect the current image" },
  { keys: "Shift + A", action: "Accept the selected images" },
  { keys: "Shift + R", action: "Reject the selected images" },
  { keys: "U", action: "Undo the last decision (back to pending)" },
];

interface Decision {
  decision: Exclude<ReviewDecision, "RESET">;
  removed: Removed<ReviewItem>[];
}

/** Keys typed into a field are text; a focused checkbox or button still lets A, R… through. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  return (
    target instanceof HTMLInputElement && !["checkbox", "radio", "button"].includes(target.type)
  );
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
 * Pending synthetic images one at a time, beside the real references they were made from:
 * accept, reject, undo, bulk decisions over a selection, all from the keyboard.
 */
export function ReviewQueue() {
  const { dataset } = useDataset();
  const user = useSessionUser();
  const canReview = hasRole(user, "CURATOR");
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const requestId = searchParams.get("request");
  const classId = searchParams.get("class");

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
      const page = await loadPending(dataset.id, requestId, classId);
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
  }, [dataset.id, requestId, classId, update]);

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

  const current = queue.items[queue.index] ?? null;
  const selectedIds = useMemo(
    () => queue.items.filter((item) => queue.selected.has(item.id)).map((item) => item.id),
    [queue],
  );

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (document.querySelector("dialog[open]")) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const state = queueRef.current;
      const here = state.items[state.index];
      switch (key) {
        case "a":
        case "r": {
          event.preventDefault();
          const decision = key === "a" ? "ACCEPT" : "REJECT";
          if (event.shiftKey)
            decide(
              state.items.filter((item) => state.selected.has(item.id)).map((item) => item.id),
              decision,
            );
          else if (here) decide([here.id], decision);
          return;
        }
        case "ArrowRight":
        case "j":
          event.preventDefault();
          update((previous) => move(previous, 1));
          return;
        case "ArrowLeft":
        case "k":
          event.preventDefault();
          update((previous) => move(previous, -1));
          return;
        case " ":
          if (
            event.target instanceof HTMLButtonElement ||
            event.target instanceof HTMLAnchorElement ||
            event.target instanceof HTMLInputElement
          )
            return;
          event.preventDefault();
          if (here) update((previous) => toggleSelected(previous, here.id));
          return;
        case "u":
          event.preventDefault();
          undo();
          return;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [decide, undo]);

  function setClassFilter(next: string) {
    const params = new URLSearchParams();
    if (next) params.set("class", next);
    router.replace(params.size > 0 ? `${pathname}?${params}` : pathname);
  }

  const base = `/datasets/${dataset.id}`;
  const filterClass = dataset.classes.find((entry) => entry.id === classId);
  const remaining = requestId ? queue.items.length : Math.max(0, total - decidedSinceLoad);

  return (
    <main
      className="page page--wide review"
      data-testid="review-queue"
      data-pending={queue.items.length}
      data-saving={saving}
      data-loaded={loaded ? "true" : "false"}
    >
      <div className="review__head">
        <div>
          <h2>Review synthetic images</h2>
          <p className="muted" aria-live="polite" data-testid="review-remaining">
            {loaded ? `${formatCount(remaining)} pending` : "Loading…"}
            {requestId
              ? " from this fill request"
              : filterClass
                ? ` of ${filterClass.title || filterClass.name}`
                : ""}
            {decidedCount > 0 && ` · ${formatCount(decidedCount)} decided here`}
            {saving > 0 && " · saving…"}
          </p>
        </div>
        <div className="toolbar">
          {requestId ? (
            <Link className="button button--small" href={`${base}/review`}>
              Show all pending
            </Link>
          ) : (
            <label className="field field--compact field--inline">
              <span className="muted">Class</span>
              <select
                value={classId ?? ""}
                onChange={(event) => setClassFilter(event.target.value)}
                data-testid="review-class-filter"
              >
                <option value="">All classes</option>
                {dataset.classes.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.title || entry.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <Link className="button button--small" href={`${base}/fills`}>
            Fill requests
          </Link>
        </div>
      </div>

      {actionError && <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />}
      {!canReview && (
        <p className="hint">
          You can look at the queue; accepting and rejecting needs the curator role.
        </p>
      )}

      {loadError !== undefined && queue.items.length === 0 ? (
        <LoadError error={loadError} onRetry={() => void refresh()} />
      ) : !loaded ? (
        <Spinner label="Loading pending images…" />
      ) : !requestFound ? (
        <EmptyState title="Fill request not found">
          <p>It may belong to another dataset or have been removed.</p>
          <Link className="button" href={`${base}/review`}>
            Review all pending images
          </Link>
        </EmptyState>
      ) : !current ? (
        <EmptyState title="Nothing to review" testId="review-empty">
          <p>
            {decidedCount > 0
              ? `All done: ${formatCount(decidedCount)} decided. `
              : "No synthetic images are waiting for a decision. "}
            Request more from the <Link href={base}>overview</Link>
            {history.length > 0 && canReview ? (
              <>
                , or press <kbd>U</kbd> to undo the last decision
              </>
            ) : null}
            .
          </p>
        </EmptyState>
      ) : (
        <div className="review__body">
          <div className="review__main">
            <ReviewStage item={current} />
            <div className="review__actions">
              <button
                type="button"
                className="button"
                onClick={() => update((previous) => move(previous, -1))}
                disabled={queue.index === 0}
                aria-keyshortcuts="ArrowLeft K"
              >
                ← Previous
              </button>
              <span className="muted" data-testid="review-position">
                {queue.index + 1} of {queue.items.length}
              </span>
              <button
                type="button"
                className="button"
                onClick={() => update((previous) => move(previous, 1))}
                disabled={queue.index >= queue.items.length - 1}
                aria-keyshortcuts="ArrowRight J"
              >
                Next →
              </button>
              <span className="review__spacer" />
              <button
                type="button"
                className="button button--danger"
                onClick={() => decide([current.id], "REJECT")}
                disabled={!canReview}
                aria-keyshortcuts="R"
                data-testid="review-reject"
              >
                Reject <kbd>R</kbd>
              </button>
              <button
                type="button"
                className="button button--primary"
                onClick={() => decide([current.id], "ACCEPT")}
                disabled={!canReview}
                aria-keyshortcuts="A"
                data-testid="review-accept"
              >
                Accept <kbd>A</kbd>
              </button>
              <button
                type="button"
                className="button"
                onClick={undo}
                disabled={!canReview || history.length === 0}
                aria-keyshortcuts="U"
                data-testid="review-undo"
              >
                Undo <kbd>U</kbd>
              </button>
            </div>
            <section className="review__strip" aria-label="Pending images on this page">
              <div className="review__strip-bar">
                <button
                  type="button"
                  className="button button--small"
                  onClick={() =>
                    update((previous) => ({
                      ...previous,
                      selected:
                        previous.selected.size === previous.items.length
                          ? new Set()
                          : new Set(previous.items.map((item) => item.id)),
                    }))
                  }
                  data-testid="review-select-all"
                >
                  {queue.selected.size === queue.items.length && queue.items.length > 0
                    ? "Select none"
                    : "Select all on page"}
                </button>
                <span className="muted" data-testid="review-selected-count">
                  {selectedIds.length} selected
                </span>
                <button
                  type="button"
                  className="button button--small button--primary"
                  onClick={() => decide(selectedIds, "ACCEPT")}
                  disabled={!canReview || selectedIds.length === 0}
                  aria-keyshortcuts="Shift+A"
                  data-testid="review-accept-selected"
                >
                  Accept selected
                </button>
                <button
                  type="button"
                  className="button button--small button--danger"
                  onClick={() => decide(selectedIds, "REJECT")}
                  disabled={!canReview || selectedIds.length === 0}
                  aria-keyshortcuts="Shift+R"
                  data-testid="review-reject-selected"
                >
                  Reject selected
                </button>
              </div>
              <ol className="review__thumbs">
                {queue.items.map((item, index) => {
                  const isCurrent = index === queue.index;
                  const isSelected = queue.selected.has(item.id);
                  return (
                    <li
                      key={item.id}
                      className={[
                        "review__thumb",
                        isCurrent ? "review__thumb--current" : "",
                        isSelected ? "review__thumb--selected" : "",
                      ].join(" ")}
                      data-testid="review-thumb"
                      data-id={item.id}
                    >
                      <button
                        type="button"
                        className="review__thumb-open"
                        onClick={() => update((previous) => ({ ...previous, index }))}
                        aria-current={isCurrent ? "true" : undefined}
                        aria-label={`Show ${item.filename}`}
                      >
                        <img src={item.thumbnailUrl} alt="" loading="lazy" />
                      </button>
                      <input
                        type="checkbox"
                        className="review__thumb-check"
                        checked={isSelected}
                        onChange={() => update((previous) => toggleSelected(previous, item.id))}
                        aria-label={`Select ${item.filename}`}
                      />
                    </li>
                  );
                })}
              </ol>
            </section>
          </div>
          <aside className="side-panel review__side" aria-label="Lineage and scores">
            <ScoresSection item={current} />
            <ReferencesSection item={current} />
            <KeyboardHelp />
          </aside>
        </div>
      )}
    </main>
  );
}

/** The synthetic image, large, with its generated boxes drawn over it. */
function ReviewStage({ item }: { item: ReviewItem }) {
  return (
    <figure className="review__stage" data-testid="review-current" data-id={item.id}>
      <svg
        viewBox={`0 0 ${item.width} ${item.height}`}
        className="review__image"
        role="img"
        aria-label={`${item.filename}, ${item.annotations.length} generated boxes`}
      >
        <image
          href={item.url}
          x={0}
          y={0}
          width={item.width}
          height={item.height}
          // Generated images are small: show their pixels rather than a blur.
          style={{ imageRendering: item.width <= 256 ? "pixelated" : "auto" }}
        />
        {item.annotations.map((annotation) => (
          <rect
            key={annotation.id}
            x={annotation.box.x}
            y={annotation.box.y}
            width={annotation.box.width}
            height={annotation.box.height}
            fill="none"
            stroke={annotation.defectClass.color}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      <figcaption className="muted">
        <Link href={`/images/${item.id}`}>{item.filename}</Link>
        {item.lineage && <> · sample {item.lineage.sampleIndex}</>}
      </figcaption>
    </figure>
  );
}

function ScoresSection({ item }: { item: ReviewItem }) {
  const lineage = item.lineage;
  return (
    <section className="panel-section" aria-labelledby="review-scores-heading">
      <h2 id="review-scores-heading">Scores</h2>
      {!lineage ? (
        <p className="muted">This image has no lineage, so there are no scores.</p>
      ) : (
        <dl className="facts" data-testid="review-scores">
          <dt title="The critic's sigmoid realism; higher looks more real">Realism</dt>
          <dd>{formatProbability(lineage.realismProbability)}</dd>
          <dt title="The critic's softmax at the target class">Class score</dt>
          <dd>{formatProbability(lineage.classScore)}</dd>
          <dt title="Distance in the critic's feature space to the nearest reference; small means close to a copy">
            Nearest reference
          </dt>
          <dd>{formatFraction(lineage.nearestReferenceDistance, 3)}</dd>
        </dl>
      )}
    </section>
  );
}

function ReferencesSection({ item }: { item: ReviewItem }) {
  const references = item.lineage?.references ?? [];
  return (
    <section className="panel-section" aria-labelledby="review-refs-heading">
      <h2 id="review-refs-heading">
        References <span className="muted">({references.length})</span>
      </h2>
      {references.length === 0 ? (
        <p className="muted">No references recorded.</p>
      ) : (
        <ul className="reference-grid" data-testid="review-references">
          {references.map((reference) => (
            <ReferenceThumb key={reference.imageId} reference={reference} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function ReferenceThumb({
  reference,
}: {
  reference: {
    imageId: string;
    isBase: boolean;
    coefficient: number;
    box?: { x: number; y: number; width: number; height: number };
    image: {
      id: string;
      filename: string;
      width?: number;
      height?: number;
      thumbnailUrl: string;
      url?: string;
    } | null;
  };
}) {
  const image = reference.image;
  const crop =
    image && reference.box && image.width && image.height
      ? referenceCropStyle(reference.box, { width: image.width, height: image.height })
      : null;
  return (
    <li
      className={reference.isBase ? "reference reference--base" : "reference"}
      data-testid="reference-thumb"
      data-base={reference.isBase ? "true" : "false"}
    >
      {image ? (
        <Link
          href={`/images/${image.id}`}
          title={`${image.filename} (the crop the model was given)`}
        >
          {crop ? (
            <span className="reference__crop">
              {/* the original: a small box cut from the thumbnail would be a few pixels wide */}
              <img
                src={image.url ?? image.thumbnailUrl}
                alt={`Reference ${image.filename}`}
                style={crop}
              />
            </span>
          ) : (
            <img src={image.thumbnailUrl} alt={`Reference ${image.filename}`} />
          )}
        </Link>
      ) : (
        <span className="reference__gone" title={reference.imageId}>
          deleted
        </span>
      )}
      <span className="reference__meta">
        {reference.isBase && <span className="origin-badge">base</span>}
        <span className="mono" title="Fusion coefficient">
          {reference.coefficient.toFixed(3)}
        </span>
      </span>
    </li>
  );
}

function KeyboardHelp() {
  return (
    <section
      className="panel-section"
      aria-labelledby="review-keys-heading"
      data-testid="review-keys"
    >
      <h2 id="review-keys-heading">Keyboard</h2>
      <table className="table shortcuts">
        <tbody>
          {REVIEW_KEYS.map((entry) => (
            <tr key={entry.keys}>
              <th scope="row">
                <kbd>{entry.keys}</kbd>
              </th>
              <td>{entry.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function formatProbability(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(1)}%`;
}
