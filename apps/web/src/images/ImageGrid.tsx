"use client";

import { memo, type MouseEvent } from "react";
import Link from "next/link";
import type { ImageTileData } from "./images.graphql";
import { titleCase } from "../ui/format";

export interface ClassLook {
  name: string;
  title: string;
  color: string;
}

interface ImageTileProps {
  image: ImageTileData;
  href: string;
  selected: boolean;
  selecting: boolean;
  classes: ReadonlyMap<string, ClassLook>;
  onSelect: (id: string, event: MouseEvent) => void;
}

/** Box counts per class, in the dataset's class order. */
function boxCounts(image: ImageTileData, classes: ReadonlyMap<string, ClassLook>) {
  const counts = new Map<string, number>();
  for (const annotation of image.annotations)
    counts.set(annotation.defectClass.id, (counts.get(annotation.defectClass.id) ?? 0) + 1);
  return [...classes.entries()]
    .filter(([id]) => counts.has(id))
    .map(([id, look]) => ({ id, look, count: counts.get(id)! }));
}

export const ImageTile = memo(function ImageTile({
  image,
  href,
  selected,
  selecting,
  classes,
  onSelect,
}: ImageTileProps) {
  const counts = boxCounts(image, classes);
  return (
    <li
      className={selected ? "tile tile--selected" : "tile"}
      data-testid="image-tile"
      data-image-id={image.id}
      data-selected={selected ? "true" : "false"}
      aria-selected={selected}
    >
      <Link
        href={href}
        className="tile__link"
        onClick={(event) => {
          // While selecting (or with a modifier) a click selects instead of opening.
          if (selecting || event.shiftKey || event.metaKey || event.ctrlKey) {
            event.preventDefault();
            onSelect(image.id, event);
          }
        }}
        aria-label={`${image.filename}, ${image.annotations.length} boxes`}
      >
        {/* Presigned storage URLs: next/image would proxy the bytes through Next. */}
        <img
          src={image.thumbnailUrl}
          alt=""
          loading="lazy"
          decoding="async"
          className="tile__image"
        />
        <span className="tile__badges">
          {counts.map(({ id, look, count }) => (
            <span
              key={id}
              className="box-badge"
              style={{ background: look.color }}
              title={`${count} × ${look.title || look.name}`}
              data-testid="box-count-badge"
            >
              {count}
            </span>
          ))}
        </span>
        <span className="tile__meta">
          <span className="tile__name">{image.filename}</span>
          <span className={`split-badge split-badge--${image.split.toLowerCase()}`}>
            {titleCase(image.split)}
          </span>
          {image.origin === "SYNTHETIC" && <span className="origin-badge">Synthetic</span>}
        </span>
      </Link>
      <button
        type="button"
        className="tile__check"
        role="checkbox"
        aria-checked={selected}
        aria-label={`Select ${image.filename}`}
        onClick={(event) => onSelect(image.id, event)}
        data-testid="image-tile-check"
      >
        {selected ? "✓" : ""}
      </button>
    </li>
  );
});
