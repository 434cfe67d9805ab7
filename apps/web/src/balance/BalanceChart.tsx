"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ClassBalance } from "./balance.graphql";
import { formatCount } from "../ui/format";
import { Swatch } from "../ui/ClassLabel";

type OriginPart = "real" | "syntheticAccepted" | "syntheticPending";

const PARTS: { key: OriginPart; label: string }[] = [
  { key: "real", label: "Real" },
  { key: "syntheticAccepted", label: "Synthetic, accepted" },
  { key: "syntheticPending", label: "Synthetic, pending" },
];

interface ChartRow {
  id: string;
  label: string;
  name: string;
  color: string;
  real: number;
  syntheticAccepted: number;
  syntheticPending: number;
}

/** How each origin is drawn in the class's own colour: solid, half-tone, outlined. */
function partStyle(part: OriginPart, color: string) {
  switch (part) {
    case "real":
      return { fill: color, fillOpacity: 1, stroke: color, strokeDasharray: undefined };
    case "syntheticAccepted":
      return { fill: color, fillOpacity: 0.5, stroke: color, strokeDasharray: undefined };
    case "syntheticPending":
      return { fill: color, fillOpacity: 0.12, stroke: color, strokeDasharray: "4 3" };
  }
}

interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: ChartRow;
}

function barShape(part: OriginPart) {
  function OriginBar(props: unknown) {
    const { x = 0, y = 0, width = 0, height = 0, payload } = props as ShapeProps;
    if (!payload || width <= 0 || height <= 0) return <g />;
    const style = partStyle(part, payload.color);
    return (
      <rect
        x={x}
        y={y}
        width={width}
        height={height}
        rx={2}
        fill={style.fill}
        fillOpacity={style.fillOpacity}
        stroke={style.stroke}
        strokeWidth={1}
        strokeDasharray={style.strokeDasharray}
        data-testid="balance-bar"
        data-class={payload.name}
        data-origin={part}
        data-count={payload[part]}
      />
    );
  }
  return OriginBar;
}

function ChartTooltip({
  active,
  payload,
}: {
  active?: boolean;
  payload?: readonly { payload?: ChartRow }[];
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <strong>
        <Swatch color={row.color} /> {row.label}
      </strong>
      {PARTS.map((part) => (
        <div key={part.key}>
          {part.label}: {formatCount(row[part.key])}
        </div>
      ))}
    </div>
  );
}

/** Stacked bars per defect class: real, accepted synthetic and pending synthetic samples. */
export function BalanceChart({ classes }: { classes: ClassBalance[] }) {
  const rows: ChartRow[] = classes.map((entry) => ({
    id: entry.defectClass.id,
    label: entry.defectClass.title || entry.defectClass.name,
    name: entry.defectClass.name,
    color: entry.defectClass.color,
    real: entry.real,
    syntheticAccepted: entry.syntheticAccepted,
    syntheticPending: entry.syntheticPending,
  }));
  const height = Math.max(160, rows.length * 44 + 48);

  return (
    <figure
      className="balance-chart"
      data-testid="balance-chart"
      aria-label="Samples per defect class by origin"
    >
      <div style={{ width: "100%", height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={rows}
            layout="vertical"
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
            barCategoryGap={10}
          >
            <CartesianGrid horizontal={false} stroke="var(--border)" />
            <XAxis
              type="number"
              allowDecimals={false}
              tick={{ fontSize: 12, fill: "var(--text-muted)" }}
            />
            <YAxis
              type="category"
              dataKey="label"
              width={150}
              tick={{ fontSize: 12, fill: "var(--text)" }}
            />
            <Tooltip
              content={<ChartTooltip />}
              cursor={{ fill: "rgba(15, 23, 42, 0.05)" }}
              isAnimationActive={false}
            />
            {PARTS.map((part) => (
              <Bar
                key={part.key}
                dataKey={part.key}
                name={part.label}
                stackId="origin"
                shape={barShape(part.key)}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart-legend">
        <span>
          <span className="legend-key legend-key--real" aria-hidden="true" /> Real
        </span>
        <span>
          <span className="legend-key legend-key--accepted" aria-hidden="true" /> Synthetic,
          accepted
        </span>
        <span>
          <span className="legend-key legend-key--pending" aria-hidden="true" /> Synthetic, pending
        </span>
        <span className="muted">Bars take each class&apos;s colour.</span>
      </figcaption>
    </figure>
  );
}
