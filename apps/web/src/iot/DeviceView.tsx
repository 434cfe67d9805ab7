"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { useQuery } from "../graphql/useQuery";
import { DEVICE, READINGS, type Metric } from "./iot.graphql";
import { chooseBucket, presetRange, type RangePreset } from "./range";
import { TelemetryChart } from "./TelemetryChart";
import { kindLabel } from "./DeviceList";
import { Segmented } from "../ui/Segmented";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from "../ui/format";
import { Field } from "../ui/Field";

const PRESETS: { value: RangePreset; label: string }[] = [
  { value: "1h", label: "1 h" },
  { value: "6h", label: "6 h" },
  { value: "24h", label: "24 h" },
  { value: "7d", label: "7 d" },
  { value: "custom", label: "Custom" },
];

const REFRESH_MS = 10_000;

/** `now`, ticking every 10 s while the range ends now, so the charts follow new readings. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [live]);
  return now;
}

export function DeviceView({ id }: { id: string }) {
  const { data, error, refetch } = useQuery(DEVICE, { id });
  const [preset, setPreset] = useState<RangePreset>("1h");
  const [customFrom, setCustomFrom] = useState(() =>
    toDateTimeLocal(new Date(Date.now() - 86_400_000).toISOString()),
  );
  const [customTo, setCustomTo] = useState(() => toDateTimeLocal(new Date().toISOString()));
  const live = preset !== "custom";
  const now = useNow(live);

  let range: { fromMs: number; toMs: number } | null;
  if (preset === "custom") {
    const from = fromDateTimeLocal(customFrom);
    const to = fromDateTimeLocal(customTo);
    range =
      from && to && Date.parse(from) < Date.parse(to)
        ? { fromMs: Date.parse(from), toMs: Date.parse(to) }
        : null;
  } else {
    range = presetRange(preset, now);
  }
  const bucket = range ? chooseBucket(range.fromMs, range.toMs) : null;

  if (error && !data) {
    return (
      <main className="page page--wide">
        <LoadError error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (!data) return <Spinner label="Loading device…" />;
  const device = data.device;
  if (!device) {
    return (
      <main className="page page--wide">
        <EmptyState title="Device not found">
          <p>
            It may have been deleted. <Link href="/devices">Back to devices</Link>
          </p>
        </EmptyState>
      </main>
    );
  }

  return (
    <main className="page page--wide" data-testid="device-view">
      <div className="page-header">
        <div>
          <p className="muted">
            <Link href="/devices">Devices</Link> /
          </p>
          <h1>{device.name}</h1>
          <p className="muted">
            {kindLabel(device.kind)}
            {device.tower ? ` · tower ${device.tower.name}` : ""}
            {device.line ? ` · line ${device.line.name} (${device.line.voltageKv} kV)` : ""} ·
            registered {formatDateTime(device.createdAt)}
          </p>
        </div>
      </div>
      <div className="toolbar telemetry-toolbar">
        <Segmented
          label="Time range"
          options={PRESETS}
          value={preset}
          onChange={setPreset}
          testId="telemetry-range"
        />
        {preset === "custom" && (
          <>
            <Field label="From" inline>
              <input
                type="datetime-local"
                value={customFrom}
                onChange={(event) => setCustomFrom(event.target.value)}
                data-testid="telemetry-from"
              />
            </Field>
            <Field label="To" inline>
              <input
                type="datetime-local"
                value={customTo}
                onChange={(event) => setCustomTo(event.target.value)}
                data-testid="telemetry-to"
              />
            </Field>
          </>
        )}
        {bucket && (
          <span className="muted" data-testid="telemetry-bucket">
            {bucket.label} buckets{live ? " · refreshes every 10 s" : ""}
          </span>
        )}
      </div>
      {!range || !bucket ? (
        <p className="hint hint--warn">Choose a start before the end.</p>
      ) : data.metrics.length === 0 ? (
        <EmptyState title="No metrics registered">
          <p>Metrics are registered when the first reading of each one is ingested.</p>
        </EmptyState>
      ) : (
        <div className="telemetry-grid">
          {data.metrics.map((metric) => (
            <MetricPanel
              key={metric.id}
              deviceId={device.id}
              metric={metric}
              fromMs={range.fromMs}
              toMs={range.toMs}
              bucket={bucket.label}
            />
          ))}
        </div>
      )}
    </main>
  );
}

function MetricPanel({
  deviceId,
  metric,
  fromMs,
  toMs,
  bucket,
}: {
  deviceId: string;
  metric: Metric;
  fromMs: number;
  toMs: number;
  bucket: string;
}) {
  const { data, error, loading, refetch } = useQuery(READINGS, {
    deviceId,
    metric: metric.name,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    bucket,
  });
  const points = data?.readings.points ?? [];
  return (
    <section
      className="card section telemetry-panel"
      data-testid="metric-panel"
      data-metric={metric.name}
      aria-label={`${metric.name} (${metric.unit})`}
    >
      <header className="section__header">
        <h2>
          {metric.name} <span className="muted">({metric.unit})</span>
        </h2>
        {loading && data && <span className="spinner spinner--small" aria-label="Updating" />}
      </header>
      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading readings…" />
      ) : points.length === 0 ? (
        <p className="muted telemetry-empty" data-testid="metric-empty">
          No {metric.name} readings from this device in this range.
        </p>
      ) : (
        <TelemetryChart points={points} unit={metric.unit} fromMs={fromMs} toMs={toMs} />
      )}
    </section>
  );
}
