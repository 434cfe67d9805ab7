import { metricRows } from "./metrics";

/** A model card's metrics as a small key / value table. */
export function MetricsTable({ metrics }: { metrics: unknown }) {
  const rows = metricRows(metrics);
  if (rows === null || (Array.isArray(rows) && rows.length === 0))
    return <span className="muted">—</span>;
  if (typeof rows === "string") return <span className="mono">{rows}</span>;
  return (
    <table className="kv-table" data-testid="model-metrics">
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.key}</th>
            <td className="mono">{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
