// Where a process's CPU went, from a V8 .cpuprofile (node --cpu-prof): self time by package (or
// repository folder) and the heaviest functions.
//
//   node --import tsx bench/load/cpuprofile.ts FILE.cpuprofile [--top 25]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({
  options: { top: { type: "string", default: "25" } },
  allowPositionals: true,
});

/** `next`, `@apollo/server`, `apps/api`, `node:internal`…: who owns the code. */
function owner(url: string): string {
  if (!url) return "(native / GC / idle)";
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (modules) return modules.at(-1)!.replace("node_modules/", "");
  if (url.startsWith("node:")) return url.replace(/^node:(internal\/)?([^/]+).*/, "node:$2");
  const repo = url.match(/\/work\/main\/((?:apps|packages)\/[^/]+)/);
  return repo ? repo[1]! : url;
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
  );
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    total += ms;
    const who = functionName.startsWith("(") ? functionName : owner(url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
    const fn = `${functionName || "(anonymous)"} ${owner(url)}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const top = Number(args.top);
  const line = ([name, ms]: [string, number]) =>
    `  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${name}`;
  console.log(`${file}: ${total.toFixed(0)} ms on CPU (idle excluded)`);
  console.log(" by owner:");
  for (const entry of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(line(entry));
  console.log(" by function (self time):");
  for (const entry of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(line(entry));
}
