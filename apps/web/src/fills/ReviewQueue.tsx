"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useDataset } from "../datasets/DatasetContext";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { ErrorBanner } from "../ui/Dialog";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount } from "../ui/format";
import { SelectField } from "../ui/Field";
import { classTitle } from "../ui/ClassLabel";
import { useReviewQueue } from "./useReviewQueue";
import { useReviewKeys } from "./useReviewKeys";
import { ReviewActions, ReviewStage } from "./ReviewStage";
import { ReviewStrip } from "./ReviewStrip";
import { ReviewSidePanel } from "./ReviewSidePanel";

/**
 * Pending synthetic images one at a time, beside the real references they were made from:
 * accept, reject, undo, bulk decisions over a selection, all from the keyboard. The state and
 * its actions live in useReviewQueue, the keys in useReviewKeys; this lays the page out.
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

  const review = useReviewQueue({ datasetId: dataset.id, requestId, classId, canReview });
  useReviewKeys(review);
  const { queue, current, loaded, saving, decidedCount } = review;

  function setClassFilter(next: string) {
    const params = new URLSearchParams();
    if (next) params.set("class", next);
    router.replace(params.size > 0 ? `${pathname}?${params}` : pathname);
  }

  const base = `/datasets/${dataset.id}`;
  const filterClass = dataset.classes.find((entry) => entry.id === classId);

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
            {loaded ? `${formatCount(review.remaining)} pending` : "Loading…"}
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
            <SelectField
              compact
              inline
              label="Class"
              labelClassName="muted"
              value={classId ?? ""}
              onChange={setClassFilter}
              none="All classes"
              options={dataset.classes.map((entry) => ({
                value: entry.id,
                label: classTitle(entry),
              }))}
              selectTestId="review-class-filter"
            />
          )}
          <Link className="button button--small" href={`${base}/fills`}>
            Fill requests
          </Link>
        </div>
      </div>

      {review.actionError && (
        <ErrorBanner message={review.actionError} onDismiss={review.dismissActionError} />
      )}
      {!canReview && (
        <p className="hint">
          You can look at the queue; accepting and rejecting needs the curator role.
        </p>
      )}

      {review.loadError !== undefined && queue.items.length === 0 ? (
        <LoadError error={review.loadError} onRetry={() => void review.refresh()} />
      ) : !loaded ? (
        <Spinner label="Loading pending images…" />
      ) : !review.requestFound ? (
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
            {review.canUndo && canReview ? (
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
            <ReviewActions review={review} item={current} canReview={canReview} />
            <ReviewStrip review={review} canReview={canReview} />
          </div>
          <ReviewSidePanel item={current} />
        </div>
      )}
    </main>
  );
}
