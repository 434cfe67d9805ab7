// Telemetry ingestion benchmark: readings/s from concurrent MQTT publishers (QoS 1, through the
// broker) to committed rows, publish-to-commit latency, and a loss check, against a raw COPY of
// the same rows into the same table in the same run.
//
//   node --import tsx bench/ingest/run.ts [--readings 1000000] [--per-message 100] [--publishers 4]
//        [--window 40000] [--rounds 3] [--warmup 50000] [--paced-rate N] [--paced-seconds 10] [--mqtt mqtt://127.0.0.1:1883] [--write-docs]
//
// One ingester serves every phase: a warm-up; rounds of a raw binary COPY followed by a
// "saturated" MQTT run (publishers go as fast as a window of uncommitted readings allows; gives
// readings/s); then a "paced" run (a fixed offered rate, by default half the median saturated
// rate; gives the latency of an ingester that keeps up). The table is emptied between phases.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import copyStreams from "pg-copy-streams";
import mqtt from "mqtt";
import { createTestDatabase, ensureReadingPartitions } from "@gridfill/db";
import { seedDemoAssets, startIngester } from "@gridfill/iot";
import { encodeCopyBinary } from "@gridfill/iot";
import type { CommittedMessage, ResolvedReading } from "@gridfill/iot";
import { METRICS, messageReadings } from "./rows.ts";
import type { Plan } from "./rows.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    readings: { type: "string", default: "1000000" },
    "per-message": { type: "string", default: "100" },
    publishers: { type: "string", default: "4" },
    devices: { type: "string", default: "50", short: "d" },
    window: { type: "string", default: "40000" },
    mqtt: { type: "string", default: process.env.MQTT_URL ?? "mqtt://127.0.0.1:1883" },
    "max-rows": { type: "string", default: "5000" },
    "max-delay": { type: "string", default: "50" },
    concurrency: { type: "string", default: "2" },
    "paced-rate": { type: "string", default: "" },
    warmup: { type: "string", default: "50000" },
    rounds: { type: "string", default: "3" },
    "paced-seconds": { type: "string", default: "10" },
    "write-docs": { type: "boolean", default: false },
  },
});

const perMessage = Number(args["per-message"]);
const publishers = Number(args.publishers);
const messagesPerPublisher = Math.ceil(Number(args.readings) / perMessage / publishers);
const total = messagesPerPublisher * publishers * perMessage;
const windowMessages = Math.max(1, Math.floor(Number(args.window) / perMessage / publishers));
// A day ago: every reading (the warm-up's reach an hour further) is safely in the past.
const plan: Plan = {
  publishers,
  devicesPerPublisher: Number(args.devices),
  readingsPerMessage: perMessage,
  messagesPerPublisher,
  t0: Math.floor(Date.now() / 1000) * 1000 - 86_400_000,
};
const writerOptions = {
  maxRows: Number(args["max-rows"]),
  maxDelayMs: Number(args["max-delay"]),
  concurrency: Number(args.concurrency),
};

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
    : Number.NaN;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

log(
  `plan: ${fmt(total)} readings = ${publishers} publishers × ${fmt(messagesPerPublisher)} messages × ${perMessage} readings; window ${windowMessages} messages per publisher`,
);
const db = await createTestDatabase();
let exitCode = 0;
try {
  // ── setup ──
  await seedDemoAssets(db.prisma);
  await db.pool.query(
    `INSERT INTO "Device" (id, name, kind) SELECT gen_random_uuid(), 'bench-' || p || '-' || d, 'SENSOR'
       FROM generate_series(0, $1 - 1) p, generate_series(0, $2 - 1) d`,
    [publishers, plan.devicesPerPublisher],
  );
  await ensureReadingPartitions(db.pool, new Date(plan.t0), 2);
  const deviceIds = new Map(
    (await db.pool.query<{ id: string; name: string }>(`SELECT id, name FROM "Device"`)).rows.map(
      (r) => [r.name, r.id],
    ),
  );
  const metricIds = new Map(
    (await db.pool.query<{ id: number; name: string }>(`SELECT id, name FROM "Metric"`)).rows.map(
      (r) => [r.name, r.id],
    ),
  );
  const metricIdByIndex = METRICS.map((m) => metricIds.get(m.name)!);
  const pgVersion = (await db.pool.query<{ server_version: string }>(`SHOW server_version`))
    .rows[0]!.server_version;

  // ── baseline: raw COPY of the same rows into the same table ──
  function* copyText(): Generator<string> {
    let chunk = "";
    for (let p = 0; p < publishers; p++) {
      for (let m = 0; m < messagesPerPublisher; m++) {
        const { device, readings } = messageReadings(plan, p, m);
        const id = deviceIds.get(device)!;
        for (const r of readings)
          chunk += `${id}\t${metricIdByIndex[r.metric]}\t${new Date(r.time).toISOString()}\t${r.value}\n`;
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = "";
        }
      }
    }
    if (chunk) yield chunk;
  }
  function* copyBinary(): Generator<Buffer> {
    for (let p = 0; p < publishers; p++) {
      for (let m0 = 0; m0 < messagesPerPublisher; m0 += 50) {
        const rows: ResolvedReading[] = [];
        for (let m = m0; m < Math.min(m0 + 50, messagesPerPublisher); m++) {
          const { device, readings } = messageReadings(plan, p, m);
          const deviceId = deviceIds.get(device)!;
          for (const r of readings)
            rows.push({
              deviceId,
              metricId: metricIdByIndex[r.metric]!,
              time: r.time,
              value: r.value,
            });
        }
        // One stream: header from the first chunk, trailer from the last only.
        const encoded = encodeCopyBinary(rows, rows.length);
        const first = p === 0 && m0 === 0;
        const last = p === publishers - 1 && m0 + 50 >= messagesPerPublisher;
        yield encoded.subarray(first ? 0 : 19, last ? encoded.length : encoded.length - 2);
      }
    }
  }
  const rawCopy = async (format: "binary" | "text", table = "Reading"): Promise<number> => {
    const client = await db.pool.connect();
    try {
      const started = performance.now();
      await client.query("BEGIN");
      const source = format === "binary" ? Readable.from(copyBinary()) : Readable.from(copyText());
      await pipeline(
        source,
        client.query(
          copyStreams.from(
            `COPY "${table}" ("deviceId", "metricId", "time", "value") FROM STDIN (FORMAT ${format})`,
          ),
        ),
      );
      await client.query("COMMIT");
      const seconds = (performance.now() - started) / 1000;
      const n = Number(
        (await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n,
      );
      if (n !== total)
        throw new Error(`raw COPY (${format}) into ${table} stored ${n} rows, expected ${total}`);
      await client.query(`TRUNCATE "${table}"`);
      log(
        `raw COPY (${format}) into ${table}: ${fmt(total)} rows in ${seconds.toFixed(2)} s = ${fmt(total / seconds)} rows/s`,
      );
      return seconds;
    } finally {
      client.release();
    }
  };
  log("raw COPY (text) for reference…");
  const copyTextSeconds = await rawCopy("text");
  // The table as it was before its foreign keys were dropped: same partitions, plus the two keys.
  await db.pool.query(
    `CREATE TABLE "ReadingWithKeys" (LIKE "Reading" INCLUDING ALL) PARTITION BY RANGE ("time")`,
  );
  await db.pool.query(
    `CREATE TABLE "ReadingWithKeys_default" PARTITION OF "ReadingWithKeys" DEFAULT`,
  );
  for (const { bound } of (
    await db.pool.query<{ bound: string }>(
      `SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = '"Reading"'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'`,
    )
  ).rows) {
    const name = `ReadingWithKeys_${(await db.pool.query<{ n: string }>(`SELECT md5($1) AS n`, [bound])).rows[0]!.n.slice(0, 8)}`;
    await db.pool.query(`CREATE TABLE "${name}" PARTITION OF "ReadingWithKeys" ${bound}`);
  }
  await db.pool.query(
    `ALTER TABLE "ReadingWithKeys" ADD FOREIGN KEY ("deviceId") REFERENCES "Device"(id) ON DELETE CASCADE`,
  );
  await db.pool.query(
    `ALTER TABLE "ReadingWithKeys" ADD FOREIGN KEY ("metricId") REFERENCES "Metric"(id) ON DELETE RESTRICT`,
  );
  log("raw COPY (binary) into a copy of the table with its former foreign keys, for reference…");
  const copyWithKeysSeconds = await rawCopy("binary", "ReadingWithKeys");
  await db.pool.query(`DROP TABLE "ReadingWithKeys"`);
  await db.pool.query(`TRUNCATE "Reading"`);
  await db.pool.query(`VACUUM ANALYZE "Reading"`);

  // ── MQTT → ingester → PostgreSQL ──
  const clientId = `gridfill-bench-ingester-${process.pid}`;
  let phase = {
    committedBy: [] as number[],
    latencies: new Float64Array(0),
    messages: 0,
    readings: 0,
    lastCommit: 0,
  };
  const onCommit = (m: CommittedMessage) => {
    // "bench-<p>-<d>": the publisher to credit.
    const p = Number(m.device.slice(6, m.device.indexOf("-", 6)));
    phase.committedBy[p]!++;
    const sentAt = Number(/"sentAt":(\d+)/.exec(m.payload.toString("latin1", 0, 40))![1]);
    if (phase.messages < phase.latencies.length)
      phase.latencies[phase.messages] = m.committedAt - sentAt;
    phase.messages++;
    phase.readings += m.readings.length;
    phase.lastCommit = m.committedAt;
  };
  const ingester = await startIngester({
    mqttUrl: args.mqtt,
    pool: db.pool,
    clientId,
    writer: writerOptions,
    onCommit,
    maintainPartitions: false,
  });

  /** One run of all publishers; `rate` paces each publisher (messages/s), else the window does. */
  const runPhase = async (name: string, messages: number, firstMessage: number, rate?: number) => {
    const expected = messages * publishers * perMessage;
    phase = {
      committedBy: new Array<number>(publishers).fill(0),
      latencies: new Float64Array(messages * publishers),
      messages: 0,
      readings: 0,
      lastCommit: 0,
    };
    const children: ChildProcess[] = [];
    let published = 0;
    try {
      for (let i = 0; i < publishers; i++) {
        const child = fork(path.join(here, "publisher.ts"), { execArgv: ["--import", "tsx"] });
        children.push(child);
        child.on("error", () => {}); // a report racing the child's exit
        child.on("message", (m: { error?: string; published?: number }) => {
          if (m.error) console.error(`publisher ${i}: ${m.error}`);
          if (m.published) published += m.published;
        });
      }
      const phasePlan = { ...plan, messagesPerPublisher: messages };
      await Promise.all(
        children.map(
          (child, index) =>
            new Promise<void>((resolve) => {
              child.once("message", () => resolve());
              child.send({
                url: args.mqtt,
                plan: phasePlan,
                index,
                window: rate ? messages : windowMessages,
                rate,
                firstMessage,
              });
            }),
        ),
      );
      log(`${name}: ${publishers} publishers connected; go`);
      const stored0 = ingester.metrics.snapshot().flushes;
      const flushMs0 = ingester.metrics.snapshot().flushLatencyMs.mean * stored0;
      const started = Date.now();
      for (const child of children) child.send({ go: true });
      const report = setInterval(
        () =>
          children.forEach((c, i) => c.connected && c.send({ committed: phase.committedBy[i] })),
        10,
      );
      const progress = setInterval(
        () =>
          log(
            `  ${fmt(phase.readings)} readings committed, ${fmt(ingester.metrics.snapshot().readingsPerSecond)}/s`,
          ),
        5000,
      );
      const deadline = Date.now() + Math.max(120_000, (expected / 5000) * 1000);
      while (phase.readings < expected && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      clearInterval(report);
      clearInterval(progress);
      const seconds = (phase.lastCommit - started) / 1000;
      const snapshot = ingester.metrics.snapshot();
      const flushes = snapshot.flushes - stored0;
      const sorted = phase.latencies
        .slice(0, Math.min(phase.messages, phase.latencies.length))
        .sort();
      const result = {
        readings: expected,
        committed: phase.readings,
        published: published * perMessage,
        seconds,
        rate: phase.readings / seconds,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
        flushes,
        meanFlushMs:
          (snapshot.flushLatencyMs.mean * snapshot.flushes - flushMs0) / Math.max(1, flushes),
        meanRowsPerFlush: phase.readings / Math.max(1, flushes),
      };
      log(
        `${name}: ${fmt(result.committed)} readings committed in ${seconds.toFixed(2)} s = ${fmt(result.rate)} readings/s; ` +
          `publish→commit p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, max ${fmt(result.max)} ms; ` +
          `${flushes} flushes, mean ${result.meanFlushMs.toFixed(1)} ms, ${fmt(result.meanRowsPerFlush)} rows each`,
      );
      return result;
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
  };

  try {
    const countRows = async (table: string) =>
      Number(
        (await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n,
      );
    let stored = 0;
    let expected = 0;
    let acknowledged = 0;
    // After each phase: every reading stored exactly once, then an empty table for the next one.
    const check = async (name: string, phaseResult: PhaseResult & { published: number }) => {
      await new Promise((r) => setTimeout(r, 300)); // anything arriving now would be a duplicate or a stray
      const n = await countRows("Reading");
      stored += n;
      expected += phaseResult.readings;
      acknowledged += phaseResult.published;
      if (n !== phaseResult.readings) {
        exitCode = 1;
        log(`${name}: **${fmt(n)} stored for ${fmt(phaseResult.readings)} published**`);
      }
      await db.pool.query(`TRUNCATE "Reading"`);
    };
    // Warm-up (JIT, caches, connections), not counted.
    const warmupMessages = Math.ceil(Number(args.warmup) / perMessage / publishers);
    if (warmupMessages > 0) await check("warm-up", await runPhase("warm-up", warmupMessages, 0));
    // Rounds of (raw COPY, MQTT) back to back, so each ratio compares like with like.
    const rounds: Round[] = [];
    for (let round = 1; round <= Number(args.rounds); round++) {
      const copySeconds = await rawCopy("binary");
      const saturated = await runPhase(`MQTT, saturated, round ${round}`, messagesPerPublisher, 0);
      await check(`round ${round}`, saturated);
      rounds.push({
        copyRate: total / copySeconds,
        saturated,
        ratio: saturated.rate / (total / copySeconds),
      });
      log(
        `round ${round}: MQTT ${fmt(saturated.rate)} readings/s = ${(rounds.at(-1)!.ratio * 100).toFixed(0)}% of raw binary COPY (${fmt(total / copySeconds)} rows/s)`,
      );
    }
    const median = [...rounds].sort((x, y) => x.saturated.rate - y.saturated.rate)[
      Math.floor(rounds.length / 2)
    ]!;
    const pacedRate =
      Number(args["paced-rate"]) || Math.round(median.saturated.rate / 2 / 1000) * 1000;
    const pacedMessages = Math.max(
      1,
      Math.round((pacedRate * Number(args["paced-seconds"])) / perMessage / publishers),
    );
    const paced = await runPhase(
      `MQTT, paced at ${fmt(pacedRate)} readings/s`,
      pacedMessages,
      0,
      pacedRate / perMessage / publishers,
    );
    await check("paced", paced);
    const deadLetters = await countRows("DeadLetter");
    log(
      `median round: MQTT ${fmt(median.saturated.rate)} readings/s, ${(median.ratio * 100).toFixed(0)}% of raw binary COPY`,
    );
    log(
      `count check: ${fmt(stored)} stored of ${fmt(expected)} published (${fmt(acknowledged)} acknowledged by the broker), ${deadLetters} dead letters`,
    );
    if (stored !== expected || deadLetters !== 0) exitCode = 1;
    if (args["write-docs"]) {
      await writeDocs(
        {
          rounds,
          median,
          paced,
          pacedRate,
          stored,
          expected,
          deadLetters,
          copyTextRate: total / copyTextSeconds,
          copyWithKeysRate: total / copyWithKeysSeconds,
        },
        pgVersion,
      );
    }
  } finally {
    await ingester.stop();
    const cleanup = await mqtt.connectAsync(args.mqtt, {
      clientId,
      clean: true,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 0 },
      reconnectPeriod: 0,
    });
    await cleanup.endAsync();
  }
} finally {
  await db.drop();
}
process.exit(exitCode);

async function brokerVersion(): Promise<string> {
  try {
    const client = await mqtt.connectAsync(args.mqtt, { reconnectPeriod: 0, connectTimeout: 2000 });
    const version = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve("unknown broker"), 1500);
      client.on("message", (_topic, payload) => {
        clearTimeout(timer);
        resolve(payload.toString());
      });
      void client.subscribeAsync("$SYS/broker/version");
    });
    await client.endAsync();
    return version;
  } catch {
    return "unknown broker";
  }
}

interface PhaseResult {
  readings: number;
  committed: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  flushes: number;
  meanFlushMs: number;
  meanRowsPerFlush: number;
}

interface Round {
  copyRate: number;
  saturated: PhaseResult;
  ratio: number;
}

interface Report {
  rounds: Round[];
  median: Round;
  paced: PhaseResult;
  pacedRate: number;
  stored: number;
  expected: number;
  deadLetters: number;
  copyTextRate: number;
  copyWithKeysRate: number;
}

async function writeDocs(r: Report, pgVersion: string): Promise<void> {
  const docs = path.join(here, "../../docs/benchmarks.md");
  const cpu = os.cpus();
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: here }).toString().trim();
    } catch {
      return "unknown";
    }
  })();
  const command = `node --import tsx bench/ingest/run.ts ${process.argv
    .slice(2)
    .filter((a) => a !== "--write-docs")
    .join(" ")}`.trim();
  const target = (ok: boolean) => (ok ? "met" : "**missed**");
  const row = (name: string, p: PhaseResult, copy: string, ratio: string) =>
    `| ${name} | ${fmt(p.rate)} | ${copy} | ${ratio} | ${fmt(p.p50)} ms | ${fmt(p.p99)} ms | ${fmt(p.max)} ms | ${fmt(p.meanRowsPerFlush)} rows, ${p.meanFlushMs.toFixed(0)} ms |`;
  const m = r.median;
  const section = `## Telemetry ingestion

Readings per second from MQTT publishers to committed rows in the partitioned \`Reading\` table, through a real broker, compared with a raw \`COPY\` of the same rows into the same table, back to back in the same run.

- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commit}
- Command: \`${command}\`
- Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load average ${os.loadavg()[0]!.toFixed(1)} at the end of the run, Node ${process.version}, PostgreSQL ${pgVersion} (default settings, \`synchronous_commit = on\`), ${await brokerVersion()} (default settings). Broker, database, ingester and publishers all share the machine, which is also shared with other work, so rates swing widely from minute to minute. Each round therefore puts a raw COPY and an MQTT run side by side, and the targets are judged on the median round.
- Workload: ${publishers} publisher processes (one MQTT 5 connection each, QoS 1), ${perMessage} readings per message, ${publishers * plan.devicesPerPublisher} devices, 5 metrics. *Saturated*: ${fmt(m.saturated.readings)} readings per round, each publisher as fast as it can while keeping at most ${fmt(windowMessages * perMessage)} readings published but not yet committed. *Paced*: ${fmt(r.paced.readings)} readings offered at a steady ${fmt(r.pacedRate)} readings/s. Before everything, a warm-up of ${fmt(Number(args.warmup))} readings. The table is emptied between phases.
- Ingester: one process, one MQTT 5 connection (persistent session, PUBACK after COMMIT), batches of up to ${writerOptions.maxRows} rows or ${writerOptions.maxDelayMs} ms, ${writerOptions.concurrency} concurrent flushes, binary \`COPY\` into \`Reading\` (no foreign keys).

| run | MQTT readings/s | raw binary COPY rows/s (one stream, one transaction) | MQTT / COPY | publish→commit p50 | p99 | max | per flush |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${r.rounds.map((x, i) => row("saturated, round " + (i + 1), x.saturated, fmt(x.copyRate), (x.ratio * 100).toFixed(0) + "%")).join("\n")}
${row("paced at " + fmt(r.pacedRate) + "/s", r.paced, "—", "—")}

- Raw text \`COPY\` of the same rows, for reference: ${fmt(r.copyTextRate)} rows/s. Raw binary \`COPY\` into a copy of \`Reading\` that still has the foreign keys to \`Device\` and \`Metric\` (dropped since; the ingester checks names against its registry): ${fmt(r.copyWithKeysRate)} rows/s, once, before round 1.
- Target ≥ 50,000 readings/s: ${target(m.saturated.rate >= 50_000)} (median round ${fmt(m.saturated.rate)}; rounds ${r.rounds.map((x) => fmt(x.saturated.rate)).join(", ")}). Target ≥ half of raw COPY: ${target(m.ratio >= 0.5)} (median round ${(m.ratio * 100).toFixed(0)}%).
- Loss check: ${fmt(r.stored)} rows stored for ${fmt(r.expected)} readings published over all phases (each phase checked on its own), ${r.deadLetters} dead letters${r.stored === r.expected ? ": nothing lost, nothing duplicated" : ": **" + fmt(r.expected - r.stored) + " missing**"}.
- Latency is the commit time of a message's batch minus the publish time its publisher wrote into the message (same clock). In saturated runs it is mostly the publishers' window waiting in line. ${r.paced.rate >= 0.95 * r.pacedRate ? "The paced run shows the latency of an ingester that keeps up: batching adds at most " + writerOptions.maxDelayMs + " ms, the rest is the flush itself." : "In the paced run the ingester did **not** keep up with the offered rate (" + fmt(r.paced.rate) + " of " + fmt(r.pacedRate) + " readings/s: the database's flushes slowed to " + r.paced.meanFlushMs.toFixed(0) + " ms on average), so its latency includes queueing as well."}
`;
  let text = "";
  try {
    text = await readFile(docs, "utf8");
  } catch {
    text = "# Benchmarks\n";
  }
  const at = text.indexOf("## Telemetry ingestion");
  if (at >= 0) {
    const next = text.indexOf("\n## ", at + 1);
    text = text.slice(0, at) + section + (next >= 0 ? "\n" + text.slice(next + 1) : "");
  } else {
    text = text.trimEnd() + "\n\n" + section;
  }
  await writeFile(docs, text);
  log(`wrote ${path.relative(process.cwd(), docs)}`);
}
