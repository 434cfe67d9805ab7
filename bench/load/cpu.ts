// CPU time by process under the platform (Linux /proc): how much of the machine the API, the
// console's server, PostgreSQL and the worker each took during a phase.
import { readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100;

interface ProcessTicks {
  pid: number;
  ppid: number;
  name: string;
  ticks: number;
}

function readProcesses(): ProcessTicks[] {
  const list: ProcessTicks[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The name is in parentheses and may hold spaces; the fields after it are fixed.
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      list.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        name,
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // exited meanwhile
    }
  }
  return list;
}

/** Ticks per process group (by name) of `root` and all its descendants. */
export function cpuTicks(root: number): Map<string, number> {
  const all = readProcesses();
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid);
        grew = true;
      }
  }
  const byName = new Map<string, number>();
  for (const p of all) {
    if (!tree.has(p.pid)) continue;
    const name =
      p.pid === root ? "API (gridfill start)" : p.name.startsWith("postgres") ? "postgres" : p.name;
    byName.set(name, (byName.get(name) ?? 0) + p.ticks);
  }
  return byName;
}

/** CPU seconds each process group used between two readings. */
export function cpuSeconds(before: Map<string, number>, after: Map<string, number>) {
  const used: Record<string, number> = {};
  for (const [name, ticks] of after)
    used[name] = (ticks - (before.get(name) ?? 0)) / TICKS_PER_SECOND;
  return used;
}
