import Link from "next/link";
import type { ReviewItem } from "./fills.graphql";
import type { ReviewQueueModel } from "./useReviewQueue";

type Box = { x: number; y: number; width: number; height: number };

const sameBox = (a: Box, b: Box | null | undefined) =>
  !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** A square around the box, three times its size, inside the image: the zoomed inset's view. */
function insetView(box: Box, width: number, height: number): string {
  const side = Math.min(Math.max(box.width, box.height) * 3, width, height);
  const x = Math.min(Math.max(box.x + box.width / 2 - side / 2, 0), width - side);
  const y = Math.min(Math.max(box.y + box.height / 2 - side / 2, 0), height - side);
  return `${x} ${y} ${side} ${side}`;
}

/**
 * The synthetic image, large, with its boxes drawn over it: for a composite, the new box stands
 * out from the host's carried boxes, a zoomed inset shows the pasted region, and the host is named.
 */
export function ReviewStage({ item }: { item: ReviewItem }) {
  const placement = item.lineage?.placement ?? null;
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
        {item.annotations.map((annotation) => {
          const isNew = sameBox(annotation.box, placement);
          return (
            <rect
              key={annotation.id}
              x={annotation.box.x}
              y={annotation.box.y}
              width={annotation.box.width}
              height={annotation.box.height}
              fill="none"
              stroke={annotation.defectClass.color}
              strokeWidth={isNew ? 3 : 1}
              strokeDasharray={isNew ? "6 3" : undefined}
              opacity={placement && !isNew ? 0.6 : 1}
              vectorEffect="non-scaling-stroke"
              data-testid={isNew ? "review-new-box" : undefined}
            />
          );
        })}
      </svg>
      {placement && (
        <svg
          viewBox={insetView(placement, item.width, item.height)}
          className="review__inset"
          role="img"
          aria-label="The pasted region, zoomed"
          data-testid="review-inset"
        >
          <image href={item.url} x={0} y={0} width={item.width} height={item.height} />
          <rect
            {...placement}
            fill="none"
            stroke={item.lineage!.request.defectClass.color}
            strokeWidth={1.5}
            strokeDasharray="4 3"
            vectorEffect="non-scaling-stroke"
          />
        </svg>
      )}
      <figcaption className="muted">
        <Link href={`/images/${item.id}`}>{item.filename}</Link>
        {item.lineage && <> · sample {item.lineage.sampleIndex}</>}
        {item.lineage?.host && (
          <>
            {" "}
            · on{" "}
            <Link href={`/images/${item.lineage.host.id}`} data-testid="review-host">
              {item.lineage.host.filename}
            </Link>
          </>
        )}
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
