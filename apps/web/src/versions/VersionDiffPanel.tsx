"use client";

import { useEffect, useRef } from "react";
import { useQuery } from "../graphql/useQuery";
import { LoadError, Spinner, EmptyState } from "../ui/states";
import { DataTable } from "../ui/DataTable";
import { formatCount, titleCase } from "../ui/format";
import { VERSION_DIFF, type VersionDiff } from "./versions.graphql";

function boxesLabel(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "box" : "boxes"}`;
}

function signed(value: number): string {
  if (value > 0) return `+${formatCount(value)}`;
  if (value < 0) return `−${formatCount(-value)}`;
  return "0";
}

function Delta({ value, testId }: { value: number; testId?: string }) {
  const tone = value > 0 ? "delta delta--up" : value < 0 ? "delta delta--down" : "delta";
  return (
    <span className={tone} data-testid={testId} data-value={value}>
      {signed(value)}
    </span>
  );
}

/** What changed between two versions: images added / removed / changed and per-class deltas. */
export function VersionDiffPanel({
  fromId,
  toId,
  onClose,
}: {
  fromId: string;
  toId: string;
  onClose: () => void;
}) {
  const { data, error, loading, refetch } = useQuery(VERSION_DIFF, { fromId, toId });
  const diff = data?.versionDiff;
  const ref = useRef<HTMLElement>(null);
  // Move focus (and the view) to the diff that was just asked for, below the list.
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
  }, []);

  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card section diff"
      data-testid="version-diff"
      aria-label="Version diff"
    >
      <div className="section__header">
        <h2>{diff ? `v${diff.from.number} → v${diff.to.number}` : "Comparing versions"}</h2>
        <button type="button" className="button" onClick={onClose} data-testid="diff-close">
          Close
        </button>
      </div>
      {error != null && !diff ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : loading && !diff ? (
        <Spinner label="Comparing…" />
      ) : diff ? (
        <DiffBody diff={diff} />
      ) : null}
    </section>
  );
}

function DiffBody({ diff }: { diff: VersionDiff }) {
  const nothing =
    diff.imagesAdded === 0 &&
    diff.imagesRemoved === 0 &&
    diff.imagesChanged === 0 &&
    diff.classDeltas.every((delta) => delta.boxesDelta === 0 && delta.imagesDelta === 0);
  return (
    <>
      <dl className="job__stats diff__counts">
        <div>
          <dt>Images added</dt>
          <dd data-testid="diff-added" data-value={diff.imagesAdded}>
            <Delta value={diff.imagesAdded} />
          </dd>
        </div>
        <div>
          <dt>Images removed</dt>
          <dd data-testid="diff-removed" data-value={diff.imagesRemoved}>
            <Delta value={-diff.imagesRemoved} />
          </dd>
        </div>
        <div>
          <dt>Boxes changed on</dt>
          <dd data-testid="diff-changed" data-value={diff.imagesChanged}>
            {formatCount(diff.imagesChanged)} images
          </dd>
        </div>
      </dl>

      {nothing ? (
        <EmptyState title="No differences" testId="diff-empty">
          <p className="muted">Both versions hold the same images and boxes.</p>
        </EmptyState>
      ) : (
        <>
          <h3>Per class</h3>
          <DataTable
            testId="diff-classes"
            rows={diff.classDeltas}
            rowKey={(delta) => delta.className}
            rowProps={(delta) => ({
              "data-testid": "diff-class-row",
              "data-class": delta.className,
            })}
            columns={[
              { header: "Class", rowHeader: true, cell: (delta) => delta.className },
              {
                header: "Images",
                numeric: true,
                cell: (delta) =>
                  `${formatCount(delta.imagesBefore)} → ${formatCount(delta.imagesAfter)}`,
              },
              {
                header: "Δ images",
                numeric: true,
                cell: (delta) => (
                  <Delta value={delta.imagesDelta} testId="diff-class-images-delta" />
                ),
              },
              {
                header: "Boxes",
                numeric: true,
                cell: (delta) =>
                  `${formatCount(delta.boxesBefore)} → ${formatCount(delta.boxesAfter)}`,
              },
              {
                header: "Δ boxes",
                numeric: true,
                cell: (delta) => <Delta value={delta.boxesDelta} testId="diff-class-boxes-delta" />,
              },
            ]}
          />

          <div className="diff__lists">
            <ImageList
              title="Added"
              testId="diff-added-list"
              items={diff.added.map((image) => ({
                key: image.sha256,
                name: image.filename,
                detail: `${titleCase(image.split)} · ${boxesLabel(image.boxes)}`,
              }))}
              count={diff.imagesAdded}
            />
            <ImageList
              title="Removed"
              testId="diff-removed-list"
              items={diff.removed.map((image) => ({
                key: image.sha256,
                name: image.filename,
                detail: `${titleCase(image.split)} · ${boxesLabel(image.boxes)}`,
              }))}
              count={diff.imagesRemoved}
            />
            <ImageList
              title="Boxes changed"
              testId="diff-changed-list"
              items={diff.changed.map((change) => ({
                key: change.sha256,
                name: change.filename,
                detail: `${change.boxesBefore} → ${change.boxesAfter} (+${change.boxesAdded} / −${change.boxesRemoved})`,
              }))}
              count={diff.imagesChanged}
            />
          </div>
          {diff.truncated && (
            <p className="muted">
              Lists show the first 1,000 images of each kind; the counts are exact.
            </p>
          )}
        </>
      )}
    </>
  );
}

function ImageList({
  title,
  items,
  count,
  testId,
}: {
  title: string;
  items: { key: string; name: string; detail: string }[];
  count: number;
  testId: string;
}) {
  return (
    <div className="diff__list" data-testid={testId}>
      <h4>
        {title} <span className="muted">({formatCount(count)})</span>
      </h4>
      {items.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.key} title={item.key}>
              <span className="diff__name">{item.name}</span>
              <span className="muted">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
