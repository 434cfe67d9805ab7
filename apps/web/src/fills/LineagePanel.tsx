"use client";

import { useState } from "react";
import Link from "next/link";
import { errorMessage, gql } from "../graphql/client";
import { useQuery } from "../graphql/useQuery";
import { hasRole } from "../auth/auth.graphql";
import { useSessionUser } from "../auth/session";
import { LINEAGE, REGENERATE, type RegenerateResult } from "./fills.graphql";
import { ReferenceThumb, formatProbability } from "./ReferenceThumb";
import { describeSelection, readSelection } from "./selection";
import { ErrorBanner } from "../ui/Dialog";
import { LoadError, Spinner } from "../ui/states";
import { formatDateTime, formatFraction, titleCase } from "../ui/format";

/**
 * Where a synthetic image came from: model and its sha256, seed, sample, the fill request, the
 * references with their fusion coefficients, the critic's scores and the review. Regenerate makes
 * the image again from this record and says whether the bytes match.
 */
export function LineagePanel({ imageId, synthetic }: { imageId: string; synthetic: boolean }) {
  const user = useSessionUser();
  const { data, error, refetch } = useQuery(LINEAGE, { imageId }, { skip: !synthetic });
  const [regenerating, setRegenerating] = useState(false);
  const [result, setResult] = useState<RegenerateResult | null>(null);
  const [regenError, setRegenError] = useState<string | null>(null);
  if (!synthetic) return null;
  const lineage = data?.lineage;
  const selection = readSelection(lineage?.selection);

  async function regenerate() {
    setRegenerating(true);
    setRegenError(null);
    setResult(null);
    try {
      setResult((await gql(REGENERATE, { imageId })).regenerate);
    } catch (caught) {
      setRegenError(errorMessage(caught));
    } finally {
      setRegenerating(false);
    }
  }

  return (
    <section
      className="panel-section lineage"
      aria-labelledby="lineage-heading"
      data-testid="lineage-panel"
    >
      <h2 id="lineage-heading">Lineage</h2>
      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading lineage…" />
      ) : !lineage ? (
        <p className="muted" data-testid="lineage-missing">
          This synthetic image has no lineage record (it was not made by a fill).
        </p>
      ) : (
        <>
          <dl className="facts">
            <dt>Method</dt>
            <dd>
              {lineage.model ? `${lineage.model.name} ${lineage.model.version}` : "Copy-paste"}
              {lineage.modelSha256 && (
                <div className="mono hash" title={lineage.modelSha256}>
                  sha256 {lineage.modelSha256.slice(0, 12)}
                </div>
              )}
            </dd>
            {lineage.output === "COMPOSITE" && (
              <>
                <dt>Host</dt>
                <dd data-testid="lineage-host">
                  {lineage.host ? (
                    <Link href={`/images/${lineage.host.id}`}>{lineage.host.filename}</Link>
                  ) : (
                    "deleted"
                  )}
                  {lineage.placement && (
                    <div className="muted">
                      box {Math.round(lineage.placement.width)}×
                      {Math.round(lineage.placement.height)} at ({Math.round(lineage.placement.x)},{" "}
                      {Math.round(lineage.placement.y)}), scale {formatFraction(lineage.scale, 2)}
                    </div>
                  )}
                  {lineage.hostSha256 && (
                    <div className="mono hash" title={lineage.hostSha256}>
                      sha256 {lineage.hostSha256.slice(0, 12)}
                    </div>
                  )}
                </dd>
              </>
            )}
            <dt>Seed</dt>
            <dd className="mono" data-testid="lineage-seed">
              {lineage.seed}
            </dd>
            <dt>Sample</dt>
            <dd>
              #{lineage.sampleIndex} of{" "}
              <Link
                href={`/datasets/${lineage.request.dataset.id}/fills?created=${encodeURIComponent(lineage.request.id)}`}
                data-testid="lineage-request"
              >
                a fill of {lineage.request.count}
              </Link>{" "}
              · {lineage.request.defectClass.title || lineage.request.defectClass.name} ·{" "}
              {titleCase(lineage.request.status)}
              <div className="muted">{formatDateTime(lineage.request.createdAt)}</div>
            </dd>
            <dt>Positions</dt>
            <dd title={lineage.positions.join(", ")}>{lineage.positions.length} fused cells</dd>
            <dt>Algorithm</dt>
            <dd className="mono">
              {lineage.algorithm} · {lineage.executionProvider}
            </dd>
            <dt>Realism</dt>
            <dd>{formatProbability(lineage.realismProbability)}</dd>
            <dt>Class score</dt>
            <dd>{formatProbability(lineage.classScore)}</dd>
            <dt>Nearest ref.</dt>
            <dd>{formatFraction(lineage.nearestReferenceDistance, 3)}</dd>
            {selection && (
              <>
                <dt title="The critic's selection score: realism + ln class score">Selection</dt>
                <dd data-testid="lineage-selection">{describeSelection(selection)}</dd>
              </>
            )}
            <dt>Review</dt>
            <dd data-testid="lineage-review">
              {titleCase(lineage.image.reviewState)}
              {lineage.reviewer && (
                <div className="muted">
                  by {lineage.reviewer.name || lineage.reviewer.email}
                  {lineage.reviewedAt && `, ${formatDateTime(lineage.reviewedAt)}`}
                </div>
              )}
            </dd>
          </dl>
          <div>
            <h3 className="lineage__subhead">References ({lineage.references.length})</h3>
            <ul className="reference-grid" data-testid="lineage-references">
              {lineage.references.map((reference) => (
                <ReferenceThumb key={reference.imageId} reference={reference} />
              ))}
            </ul>
          </div>
          {hasRole(user, "CURATOR") && (
            <div className="lineage__regen">
              <button
                type="button"
                className="button button--small"
                onClick={() => void regenerate()}
                disabled={regenerating}
                data-testid="lineage-regenerate"
              >
                {regenerating ? "Regenerating…" : "Regenerate"}
              </button>
              {regenerating && <Spinner label="Making the image again from its lineage…" />}
              {regenError && <ErrorBanner message={regenError} />}
              {result && (
                <p
                  className={result.identical ? "hint" : "hint hint--warn"}
                  role="status"
                  data-testid="lineage-regenerated"
                  data-identical={result.identical ? "true" : "false"}
                >
                  {result.identical
                    ? "Identical: the regenerated bytes match the stored image"
                    : "Different: the regenerated bytes do not match the stored image"}{" "}
                  (on {result.executionProvider}).{" "}
                  <span className="mono" title={`${result.originalSha256} → ${result.sha256}`}>
                    {result.originalSha256.slice(0, 12)} → {result.sha256.slice(0, 12)}
                  </span>{" "}
                  <a href={result.url} target="_blank" rel="noreferrer">
                    Open the regenerated PNG
                  </a>
                </p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
