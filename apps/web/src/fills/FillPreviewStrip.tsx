"use client";

import { useState } from "react";
import { errorMessage, gql } from "../graphql/client";
import { ErrorBanner } from "../ui/Dialog";
import { PREVIEW_FILL, type FillPreviewSample, type RequestFillInput } from "./fills.graphql";

const PREVIEW_SAMPLES = 4;

/**
 * Four samples of the fill as it stands in the dialog, rendered by a worker without writing
 * anything; each shows the full image with the new box outlined.
 */
export function FillPreviewStrip({
  input,
  onPreviewed,
}: {
  input: RequestFillInput | null;
  /** The preview's seed: kept by the dialog, the fill then begins with these very samples. */
  onPreviewed: (seed: string) => void;
}) {
  const [samples, setSamples] = useState<FillPreviewSample[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function preview() {
    if (!input) return;
    setBusy(true);
    setError(null);
    try {
      const { previewFill } = await gql(PREVIEW_FILL, { input, samples: PREVIEW_SAMPLES });
      setSamples(previewFill.samples);
      onPreviewed(previewFill.seed);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fill-preview" data-testid="fill-preview">
      <button
        type="button"
        className="button button--small"
        onClick={() => void preview()}
        disabled={!input || busy}
        data-testid="fill-preview-button"
      >
        {busy ? "Rendering…" : samples ? "Preview again" : `Preview ${PREVIEW_SAMPLES} samples`}
      </button>
      {error && <ErrorBanner message={error} onDismiss={() => setError(null)} />}
      {samples && (
        <ul className="fill-preview__strip">
          {samples.map((sample) => (
            <li
              key={sample.index}
              className="fill-preview__sample"
              data-testid="fill-preview-sample"
            >
              <img src={sample.url} alt={`Preview sample ${sample.index + 1}`} />
              {sample.placement && (
                <span
                  className="fill-preview__box"
                  style={{
                    left: `${(sample.placement.x / sample.width) * 100}%`,
                    top: `${(sample.placement.y / sample.height) * 100}%`,
                    width: `${(sample.placement.width / sample.width) * 100}%`,
                    height: `${(sample.placement.height / sample.height) * 100}%`,
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
