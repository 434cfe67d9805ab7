import type { ReviewQueueModel } from "./useReviewQueue";

/** The page's pending images as thumbnails, with the selection and the bulk decisions on it. */
export function ReviewStrip({
  review,
  canReview,
}: {
  review: ReviewQueueModel;
  canReview: boolean;
}) {
  const { queue, selectedIds } = review;
  return (
    <section className="review__strip" aria-label="Pending images on this page">
      <div className="review__strip-bar">
        <button
          type="button"
          className="button button--small"
          onClick={review.selectAll}
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
          onClick={() => review.decide(selectedIds, "ACCEPT")}
          disabled={!canReview || selectedIds.length === 0}
          aria-keyshortcuts="Shift+A"
          data-testid="review-accept-selected"
        >
          Accept selected
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          onClick={() => review.decide(selectedIds, "REJECT")}
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
                onClick={() => review.show(index)}
                aria-current={isCurrent ? "true" : undefined}
                aria-label={`Show ${item.filename}`}
              >
                <img src={item.thumbnailUrl} alt="" loading="lazy" />
              </button>
              <input
                type="checkbox"
                className="review__thumb-check"
                checked={isSelected}
                onChange={() => review.toggle(item.id)}
                aria-label={`Select ${item.filename}`}
              />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
