/** A tiny inline SVG line of values over time: no axes, just the shape. */
export function Sparkline({
  points,
  width = 96,
  height = 24,
}: {
  points: { time: string; avg: number }[];
  width?: number;
  height?: number;
}) {
  if (points.length < 2) return <span className="muted sparkline--none">—</span>;
  const times = points.map((point) => Date.parse(point.time));
  const values = points.map((point) => point.avg);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const v0 = Math.min(...values);
  const v1 = Math.max(...values);
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * (width - 2) + 1);
  // A flat series sits in the middle rather than on the edge.
  const y = (v: number) =>
    v1 === v0 ? height / 2 : height - 1 - ((v - v0) / (v1 - v0)) * (height - 2);
  const d = points
    .map(
      (point, index) =>
        `${index === 0 ? "M" : "L"}${x(times[index]!).toFixed(1)},${y(point.avg).toFixed(1)}`,
    )
    .join(" ");
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      data-testid="sparkline"
    >
      <path d={d} fill="none" stroke="var(--accent)" strokeWidth={1.25} />
    </svg>
  );
}
