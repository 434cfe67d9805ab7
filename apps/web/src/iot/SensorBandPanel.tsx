"use client";

import { useEffect, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useQuery } from "../graphql/useQuery";
import { METRICS, SENSOR_BAND_BALANCE, type SensorBandBalance } from "./iot.graphql";
import { bandLabel, parseEdges } from "./bands";
import { Segmented } from "../ui/Segmented";
import { EmptyState, LoadError, Spinner } from "../ui/states";
import { formatCount } from "../ui/format";
import { Field } from "../ui/Field";

type BandMode = "3" | "4" | "5" | "custom";

const MODES: { value: BandMode; label: string }[] = [
  { value: "3", label: "Terciles" },
  { value: "4", label: "Quartiles" },
  { value: "5", label: "Quintiles" },
  { value: "custom", label: "Custom edges" },
];

/** Class balance split by the sensor value around each image's capture (quantiles or edges). */
export function SensorBandPanel({ datasetId }: { datasetId: string }) {
  const metrics = useQuery(METRICS, {});
  const [metric, setMetric] = useState<string>("");
  const [mode, setMode] = useState<BandMode>("4");
  const [edgesText, setEdgesText] = useState("");
  const [stacked, setStacked] = useState(false);

  // Default to the first metric once they are known.
  const firstMetric = metrics.data?.metrics[0]?.name;
  useEffect(() => {
    if (!metric && firstMetric) setMetric(firstMetric);
  }, [metric, firstMetric]);

  const parsed = mode === "custom" ? parseEdges(edgesText) : null;
  const edgeError = parsed && "error" in parsed ? parsed.error : null;
  const ready = Boolean(metric) && !edgeError;
  const balance = useQuery(
    SENSOR_BAND_BALANCE,
    {
      datasetId,
      metric,
      bands: parsed && "edges" in parsed ? parsed.edges : null,
      quantiles: mode === "custom" ? null : Number(mode),
      window: 30,
    },
    { skip: !ready },
  );

  return (
    <section
      className="card section"
      aria-labelledby="sensor-bands-heading"
      data-testid="sensor-band-panel"
    >
      <header className="section__header">
        <div>
          <h2 id="sensor-bands-heading">Balance by sensor band</h2>
          <p className="muted">
            Images by the average reading within ±30 min of their capture, from their device and
            tower.
          </p>
        </div>
        {metrics.data && metrics.data.metrics.length > 0 && (
          <div className="toolbar">
            <Field label="Metric" inline compact>
              <select
                value={metric}
                onChange={(event) => setMetric(event.target.value)}
                data-testid="sensor-band-metric"
              >
                {metrics.data.metrics.map((entry) => (
                  <option key={entry.id} value={entry.name}>
                    {entry.name} ({entry.unit})
                  </option>
                ))}
              </select>
            </Field>
            <Segmented
              label="Bands"
              options={MODES}
              value={mode}
              onChange={setMode}
              testId="sensor-band-mode"
            />
            {mode === "custom" && (
              <Field label="Edges" inline compact>
                <input
                  value={edgesText}
                  onChange={(event) => setEdgesText(event.target.value)}
                  placeholder="40, 60, 80"
                  data-testid="sensor-band-edges"
                />
              </Field>
            )}
            <Segmented
              label="Layout"
              options={[
                { value: "grouped", label: "Grouped" },
                { value: "stacked", label: "Stacked" },
              ]}
              value={stacked ? "stacked" : "grouped"}
              onChange={(value) => setStacked(value === "stacked")}
            />
            {balance.loading && balance.data && (
              <span className="spinner spinner--small" aria-label="Updating" />
            )}
          </div>
        )}
      </header>
      {metrics.error && !metrics.data ? (
        <LoadError error={metrics.error} onRetry={() => void metrics.refetch()} />
      ) : !metrics.data ? (
        <Spinner label="Loading metrics…" />
      ) : metrics.data.metrics.length === 0 ? (
        <EmptyState title="No telemetry yet" testId="sensor-band-empty">
          <p>Once devices publish readings, their metrics can split the class balance here.</p>
        </EmptyState>
      ) : edgeError && edgesText.trim() ? (
        <p className="hint hint--warn">{edgeError}</p>
      ) : !ready ? (
        <p className="muted">Enter band edges, e.g. 40, 60, 80.</p>
      ) : balance.error && !balance.data ? (
        <LoadError error={balance.error} onRetry={() => void balance.refetch()} />
      ) : !balance.data ? (
        <Spinner label="Computing bands…" />
      ) : (
        <BandChart balance={balance.data.sensorBandBalance} stacked={stacked} />
      )}
    </section>
  );
}

function BandChart({ balance, stacked }: { balance: SensorBandBalance; stacked: boolean }) {
  const classes = balance.bands[0]?.classes.map((entry) => entry.defectClass) ?? [];
  const rows = balance.bands.map((band) => {
    const row: Record<string, string | number> = {
      // The band's own image count under its label: classes may overlap or be absent.
      band: `${bandLabel(band.lower, band.upper)} (${band.images})`,
      images: band.images,
    };
    for (const entry of band.classes) row[entry.defectClass.id] = entry.images;
    return row;
  });
  const unit = balance.metric.unit;
  return (
    <>
      <p className="sensor-band__counts" data-testid="sensor-band-counts">
        <span data-testid="sensor-band-matched">{formatCount(balance.matched)}</span>{" "}
        {balance.matched === 1 ? "image" : "images"} matched ·{" "}
        <span data-testid="sensor-band-unmatched">{formatCount(balance.unmatched)}</span> without
        capture time, device or readings
        {balance.edges.length > 0 && (
          <span className="muted">
            {" "}
            · {balance.metric.name} edges{" "}
            {balance.edges.map((value) => Number(value.toPrecision(4))).join(", ")} {unit}
          </span>
        )}
      </p>
      {balance.matched === 0 ? (
        <EmptyState title="No image has a sensor value" testId="sensor-band-unmatched-state">
          <p>
            Images need a capture time and a device or tower with {balance.metric.name} readings
            within ±{balance.windowMinutes} min of it.
          </p>
        </EmptyState>
      ) : (
        <div style={{ width: "100%", height: 280 }} data-testid="sensor-band-chart">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid vertical={false} stroke="var(--border)" />
              <XAxis dataKey="band" tick={{ fontSize: 12, fill: "var(--text)" }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "var(--text-muted)" }} />
              <Tooltip isAnimationActive={false} cursor={{ fill: "rgba(15, 23, 42, 0.05)" }} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {classes.map((defectClass) => (
                <Bar
                  key={defectClass.id}
                  dataKey={defectClass.id}
                  name={defectClass.title || defectClass.name}
                  fill={defectClass.color}
                  stackId={stacked ? "band" : undefined}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </>
  );
}
