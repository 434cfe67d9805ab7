"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ReadingPoint } from "./iot.graphql";

interface Row {
  t: number;
  avg: number;
  range: [number, number];
  count: number;
}

function tickFormatter(spanMs: number) {
  return (value: number) => {
    const date = new Date(value);
    return spanMs > 36 * 3_600_000
      ? date.toLocaleDateString("en-GB", { day: "numeric", month: "short", hour: "2-digit" })
      : date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  };
}

/** Evenly spaced time ticks: recharts' own pick on a time domain can leave just one. */
function evenTicks(fromMs: number, toMs: number, count: number): number[] {
  if (toMs <= fromMs) return [fromMs];
  return Array.from(
    { length: count },
    (_, index) => fromMs + ((toMs - fromMs) * index) / (count - 1),
  );
}

function ChartTooltip({
  active,
  payload,
  unit,
}: {
  active?: boolean;
  payload?: readonly { payload?: Row }[];
  unit: string;
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  const value = (n: number) => `${n.toFixed(2)} ${unit}`;
  return (
    <div className="chart-tooltip">
      <strong>{new Date(row.t).toLocaleString("en-GB")}</strong>
      <div>avg {value(row.avg)}</div>
      <div>
        min {value(row.range[0])} · max {value(row.range[1])}
      </div>
      <div className="muted">{row.count} readings</div>
    </div>
  );
}

/** One metric over time: the bucket averages as a line over the min–max band. */
export function TelemetryChart({
  points,
  unit,
  fromMs,
  toMs,
  height = 220,
}: {
  points: ReadingPoint[];
  unit: string;
  fromMs: number;
  toMs: number;
  height?: number;
}) {
  const rows: Row[] = points.map((point) => ({
    t: Date.parse(point.time),
    avg: point.avg,
    range: [point.min, point.max],
    count: point.count,
  }));
  return (
    <div style={{ width: "100%", height }} data-testid="telemetry-chart" data-points={rows.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[fromMs, toMs]}
            ticks={evenTicks(fromMs, toMs, 6)}
            tickFormatter={tickFormatter(toMs - fromMs)}
            tick={{ fontSize: 11, fill: "var(--text-muted)" }}
            minTickGap={40}
          />
          <YAxis
            domain={["auto", "auto"]}
            width={56}
            tick={{ fontSize: 11, fill: "var(--text-muted)" }}
            tickFormatter={(value: number) => String(Number(value.toFixed(2)))}
            label={{
              value: unit,
              angle: -90,
              position: "insideLeft",
              fontSize: 11,
              fill: "var(--text-muted)",
            }}
          />
          <Tooltip content={<ChartTooltip unit={unit} />} isAnimationActive={false} />
          <Area
            dataKey="range"
            stroke="none"
            fill="var(--accent)"
            fillOpacity={0.15}
            isAnimationActive={false}
            connectNulls
          />
          <Line
            dataKey="avg"
            stroke="var(--accent)"
            strokeWidth={1.5}
            dot={rows.length === 1}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
