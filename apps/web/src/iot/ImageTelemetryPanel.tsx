"use client";

import { useState } from "react";
import Link from "next/link";
import { useQuery } from "../graphql/useQuery";
import { IMAGE_CONTEXT, type ContextSeries, type ImageContext } from "./iot.graphql";
import { Sparkline } from "./Sparkline";
import { LoadError, Spinner } from "../ui/states";
import { DataTable } from "../ui/DataTable";
import { formatDateTime } from "../ui/format";

const WINDOWS = [5, 15, 30, 60];

function formatValue(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

/**
 * The grid's telemetry around the image's capture: per device and metric, the last reading and the
 * window's avg / min / max. Remount it (key) when the capture time changes.
 */
export function ImageTelemetryPanel({
  imageId,
  capturedAt,
}: {
  imageId: string;
  capturedAt: string | null;
}) {
  const [windowMinutes, setWindowMinutes] = useState(30);
  const { data, error, loading, refetch } = useQuery(IMAGE_CONTEXT, {
    id: imageId,
    window: windowMinutes,
  });
  const context = data?.image?.context;

  return (
    <section className="panel-section telemetry-context" data-testid="image-telemetry">
      <header className="telemetry-context__head">
        <h2>Telemetry</h2>
        {(capturedAt || context) && (
          <label className="field--compact">
            <span className="visually-hidden">Window</span>
            <select
              value={windowMinutes}
              onChange={(event) => setWindowMinutes(Number(event.target.value))}
              data-testid="telemetry-window"
            >
              {WINDOWS.map((minutes) => (
                <option key={minutes} value={minutes}>
                  ±{minutes} min
                </option>
              ))}
            </select>
          </label>
        )}
        {loading && data && <span className="spinner spinner--small" aria-label="Updating" />}
      </header>
      {error && !data ? (
        <LoadError error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Spinner label="Loading telemetry…" />
      ) : !context && !capturedAt ? (
        <p className="muted" data-testid="telemetry-no-capture">
          No capture time. Set <strong>Captured at</strong> above to see the readings of the
          image&apos;s device and tower around it.
        </p>
      ) : !context ? (
        <p className="muted" data-testid="telemetry-no-device">
          No device or tower is linked to this image, so there is no telemetry to match. Images get
          one when their camera or UAV is registered as a <Link href="/devices">device</Link> and
          the image is ingested from it, or at upload when their EXIF GPS position lies near a
          tower.
        </p>
      ) : (
        <>
          {context.derived && (
            <p className="muted" data-testid="telemetry-derived">
              <strong>Derived.</strong> This synthetic image has no capture of its own: these are
              the readings around the capture of the real image it was generated from (see Lineage).
            </p>
          )}
          <ContextBody context={context} />
        </>
      )}
    </section>
  );
}

function ContextBody({ context }: { context: ImageContext }) {
  return context.series.length === 0 ? (
    <p className="muted" data-testid="telemetry-no-readings">
      No readings from {context.devices.map((device) => device.name).join(", ") || "its devices"}{" "}
      within ±{context.windowMinutes} min of {formatDateTime(context.capturedAt)}.
    </p>
  ) : (
    <>
      <p className="muted telemetry-context__caption">
        ±{context.windowMinutes} min of {formatDateTime(context.capturedAt)}
      </p>
      <DataTable
        className="telemetry-context__table"
        testId="telemetry-series"
        rows={context.series}
        rowKey={(series) => `${series.device.id}-${series.metric.id}`}
        renderRow={(series) => (
          <SeriesRow key={`${series.device.id}-${series.metric.id}`} series={series} />
        )}
        columns={[
          { header: "Metric" },
          { header: "Last", numeric: true },
          { header: "Avg", numeric: true },
          { header: "Min–max", numeric: true },
        ]}
      />
    </>
  );
}

function SeriesRow({ series }: { series: ContextSeries }) {
  return (
    <tr
      data-testid="telemetry-row"
      data-device={series.device.name}
      data-metric={series.metric.name}
      title={`${series.count} readings; last at ${formatDateTime(series.lastTime)}`}
    >
      <th scope="row">
        <Link href={`/devices/${series.device.id}`}>{series.device.name}</Link>
        <br />
        <span className="muted">
          {series.metric.name} ({series.metric.unit})
        </span>
        <Sparkline points={series.points} />
      </th>
      <td className="num" data-testid="telemetry-last">
        {formatValue(series.last)}
      </td>
      <td className="num">{formatValue(series.avg)}</td>
      <td className="num">
        {formatValue(series.min)}–{formatValue(series.max)}
      </td>
    </tr>
  );
}
