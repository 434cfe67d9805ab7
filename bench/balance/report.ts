// Console table and the "Balance statistics and image list" section of docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { LoadResult } from "./load.ts";
import { ms, type Summary } from "./stats.ts";

export const SECTION_TITLE = "## Balance statistics and image list";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
}

export interface Row {
  name: string;
  via: string;
  summary: Summary;
  /** Target p95 in ms, when the scenario has one. */
  target?: number;
  /** What it is compared with (a baseline row's name) and how. */
  baselineOf?: string;
}

export interface Finding {
  scenario: string;
  text: string;
}

export interface Report {
  date: string;
  command: string;
  machine: Machine;
  load: LoadResult;
  rows: Row[];
  /** Speed-ups: scenario vs baseline, computed from the rows. */
  speedups: { name: string; baseline: string; byP50: number; byMean: number }[];
  notes: string[];
  findings: Finding[];
}

function fmtInt(n: number): string {
  return n.toLocaleString("en-US");
}

function seconds(msValue: number): string {
  return (msValue / 1000).toFixed(1) + " s";
}

function targetCell(row: Row): string {
  if (row.target === undefined) return "—";
  return row.summary.p95 <= row.target
    ? `≤ ${row.target} ms: met`
    : `≤ ${row.target} ms: **missed**`;
}

export function consoleTable(report: Report): string {
  const head = ["scenario", "via", "calls", "p50 ms", "p95 ms", "mean ms", "target"];
  const lines = report.rows.map((r) => [
    r.name,
    r.via,
    String(r.summary.calls),
    ms(r.summary.p50),
    ms(r.summary.p95),
    ms(r.summary.mean),
    targetCell(r).replaceAll("*", ""),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  const out = [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)];
  for (const s of report.speedups)
    out.push(
      `speed-up of ${s.name} over ${s.baseline}: ${s.byP50.toFixed(0)}x (p50), ${s.byMean.toFixed(0)}x (mean)`,
    );
  return out.join("\n");
}

export function markdownSection(report: Report): string {
  const { load, machine } = report;
  const out: string[] = [];
  out.push(SECTION_TITLE, "");
  out.push(
    "How fast the console's two hottest reads are on a large dataset: class balance statistics (`balance`) and the " +
      "class-filtered image grid (`images`), both through GraphQL over HTTP against the real API started in-process, " +
      "each compared with a baseline measured in the same run.",
    "",
  );
  out.push(`- Date: ${report.date}`);
  out.push(`- Command: \`${report.command}\``);
  out.push(
    `- Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, PostgreSQL ${machine.postgres} ` +
      "(default settings). The machine is shared with other work, so absolute numbers are noisy; each comparison is within one run.",
  );
  out.push(
    `- Data: ${fmtInt(load.images)} images, ${fmtInt(load.boxes)} boxes over ${load.classes.length} classes (long-tailed), ` +
      `${fmtInt(load.imageClasses)} ImageClass rows, ${fmtInt(load.counters)} ClassCounter rows; real images split 70/15/15 (train/val/test), ` +
      `about 10% synthetic images, all in train (accepted, pending, rejected); database size ${(load.databaseBytes / 2 ** 30).toFixed(2)} GiB.`,
  );
  out.push("");
  out.push("### Load (COPY, indexes rebuilt afterwards)", "");
  out.push("| table | rows | time | rows/s |", "| --- | ---: | ---: | ---: |");
  for (const t of load.tables)
    out.push(
      `| ${t.table} | ${fmtInt(t.rows)} | ${seconds(t.ms)} | ${fmtInt(Math.round(t.rows / (t.ms / 1000)))} |`,
    );
  out.push(`| keys, indexes, foreign keys | | ${seconds(load.indexMs)} | |`);
  out.push(`| VACUUM ANALYZE | | ${seconds(load.vacuumAnalyzeMs)} | |`);
  out.push(`| total (with migrations) | | ${seconds(load.totalMs)} | |`);
  out.push("");
  out.push("### Reads", "");
  out.push(
    "| scenario | via | calls | p50 ms | p95 ms | mean ms | target (p95) |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
  );
  for (const r of report.rows) {
    out.push(
      `| ${r.name} | ${r.via} | ${r.summary.calls} | ${ms(r.summary.p50)} | ${ms(r.summary.p95)} | ${ms(r.summary.mean)} | ${targetCell(r)} |`,
    );
  }
  out.push("");
  for (const s of report.speedups) {
    out.push(
      `- ${s.name} vs ${s.baseline}: ${s.byP50.toFixed(0)}× faster at p50, ${s.byMean.toFixed(0)}× on the mean.`,
    );
  }
  for (const n of report.notes) out.push(`- ${n}`);
  if (report.findings.length) {
    out.push("", "### Missed targets", "");
    for (const f of report.findings) out.push(`- **${f.scenario}**: ${f.text}`);
  }
  out.push("");
  return out.join("\n");
}

/** Replaces (or appends) this section, leaving every other section of the file as it is. */
export function writeSection(file: string, section: string): void {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const lines = current.split("\n");
  const start = lines.findIndex((l) => l.trim() === SECTION_TITLE);
  let next: string;
  if (start === -1) {
    next = current.replace(/\n*$/, "\n\n") + section;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join("\n");
    const after = lines.slice(end).join("\n");
    next = (before ? before.replace(/\n*$/, "\n\n") : "") + section + (after ? "\n" + after : "");
  }
  writeFileSync(file, next.replace(/\n*$/, "\n"));
}
