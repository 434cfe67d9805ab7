import { formatFraction } from "../ui/format";
import type { ReviewItem } from "./fills.graphql";
import { ReferenceThumb, formatProbability } from "./ReferenceThumb";
import { describeSelection, readSelection } from "./selection";
import { REVIEW_KEYS } from "./useReviewKeys";

/** Beside the current image: the critic's scores, the references it was made from, the keys. */
export function ReviewSidePanel({ item }: { item: ReviewItem }) {
  return (
    <aside className="side-panel review__side" aria-label="Lineage and scores">
      <ScoresSection item={item} />
      <ReferencesSection item={item} />
      <KeyboardHelp />
    </aside>
  );
}

function ScoresSection({ item }: { item: ReviewItem }) {
  const lineage = item.lineage;
  const selection = readSelection(lineage?.selection);
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
          {selection && (
            <>
              <dt title="Candidates the critic chose this image from; its score is realism + ln class score">
                Selection
              </dt>
              <dd data-testid="review-selection">{describeSelection(selection)}</dd>
            </>
          )}
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
