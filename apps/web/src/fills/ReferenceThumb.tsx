import Link from "next/link";
import { referenceCropStyle } from "./referenceCrop";

/** One real reference of a synthetic image: the crop the model was given, and its coefficient. */
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

/** A critic probability as a percentage. */
export function formatProbability(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(1)}%`;
}
