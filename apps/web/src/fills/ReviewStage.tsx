import Link from "next/link";
import type { ReviewItem } from "./fills.graphql";
import type { ReviewQueueModel } from "./useReviewQueue";

/** The synthetic image, large, with its generated boxes drawn over it. */
export function ReviewStage({ item }: { item: ReviewItem }) {
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

/** Previous / next, and the decisions on the current image, each with its key. */
export function ReviewActions({
  review,
  item,
  canReview,
}: {
  review: ReviewQueueModel;
  item: ReviewItem;
  canReview: boolean;
}) {
  const { queue } = review;
  return (
    <div className="review__actions">
      <button
        type="button"
        className="button"
        onClick={() => review.step(-1)}
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
        onClick={() => review.step(1)}
        disabled={queue.index >= queue.items.length - 1}
        aria-keyshortcuts="ArrowRight J"
      >
        Next →
      </button>
      <span className="review__spacer" />
      <button
        type="button"
        className="button button--danger"
        onClick={() => review.decide([item.id], "REJECT")}
        disabled={!canReview}
        aria-keyshortcuts="R"
        data-testid="review-reject"
      >
        Reject <kbd>R</kbd>
      </button>
      <button
        type="button"
        className="button button--primary"
        onClick={() => review.decide([item.id], "ACCEPT")}
        disabled={!canReview}
        aria-keyshortcuts="A"
        data-testid="review-accept"
      >
        Accept <kbd>A</kbd>
      </button>
      <button
        type="button"
        className="button"
        onClick={review.undo}
        disabled={!canReview || !review.canUndo}
        aria-keyshortcuts="U"
        data-testid="review-undo"
      >
        Undo <kbd>U</kbd>
      </button>
    </div>
  );
}
