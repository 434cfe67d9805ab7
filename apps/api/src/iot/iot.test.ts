// Grid assets, telemetry reads and the GraphQL ingest path, on hand-built series whose numbers can
// be checked on paper; image context around the capture time; class balance by sensor band.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePng } from "@gridfill/storage";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";

let t: TestApi;
let lineId: string;
let towerId: string;
let sensorId: string;
let cameraId: string;
const T0 = Date.parse("2026-03-01T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

async function ok<T>(
  query: string,
  variables: Record<string, unknown> = {},
  as = t.users.CURATOR,
): Promise<T> {
  const r = await t.gql<T>(query, variables, as);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

async function ingest(batch: Record<string, unknown>[]) {
  return (
    await ok<{
      ingestReadings: {
        received: number;
        stored: number;
        duplicates: number;
        rejected: number;
        rejections: { index: number; code: string; message: string }[];
      };
    }>(
      `mutation($b: [ReadingInput!]!) { ingestReadings(batch: $b) { received stored duplicates rejected rejections { index code message } } }`,
      { b: batch },
    )
  ).ingestReadings;
}

before(async () => {
  t = await startTestApi();
  await ok(`mutation { createMetric(input: { name: "humidity", unit: "%" }) { id } }`);
  await ok(`mutation { createMetric(input: { name: "temperature", unit: "°C" }) { id } }`);
  lineId = (
    await ok<{ createLine: { id: string } }>(
      `mutation { createLine(input: { name: "Line A 110 kV", voltageKv: 110 }) { id } }`,
    )
  ).createLine.id;
  towerId = (
    await ok<{ createTower: { id: string } }>(
      `mutation($l: ID) { createTower(input: { name: "Tower A1", latitude: 30.5, longitude: 114.3, lineId: $l }) { id } }`,
      { l: lineId },
    )
  ).createTower.id;
  const device = async (name: string, kind: string) =>
    (
      await ok<{ createDevice: { id: string } }>(
        `mutation($n: String!, $k: DeviceKind!, $t: ID) { createDevice(input: { name: $n, kind: $k, towerId: $t }) { id } }`,
        { n: name, k: kind, t: towerId },
      )
    ).createDevice.id;
  sensorId = await device("a1-sensor", "SENSOR");
  cameraId = await device("a1-camera", "CAMERA");
});
after(async () => {
  await t?.close();
});

test("assets: create, list, update, delete, with validation errors and audit events", async () => {
  const q = await ok<{
    lines: { name: string; voltageKv: number; towers: { name: string }[] }[];
    towers: { name: string; latitude: number; line: { name: string } }[];
    devices: {
      edges: {
        node: { name: string; kind: string; tower: { name: string }; line: { name: string } };
      }[];
    };
    metrics: { name: string; unit: string }[];
  }>(
    `{ lines { name voltageKv towers { name } } towers { name latitude line { name } }
       devices(first: 10) { edges { node { name kind tower { name } line { name } } } } metrics { name unit } }`,
    {},
    t.users.VIEWER,
  );
  assert.deepEqual(q.lines, [
    { name: "Line A 110 kV", voltageKv: 110, towers: [{ name: "Tower A1" }] },
  ]);
  assert.deepEqual(q.towers, [
    { name: "Tower A1", latitude: 30.5, line: { name: "Line A 110 kV" } },
  ]);
  assert.equal(q.devices.edges.length, 2);
  assert.ok(
    q.devices.edges.every((e) => e.node.line.name === "Line A 110 kV"),
    "a device on a tower inherits the tower's line",
  );
  assert.deepEqual(
    q.metrics.map((m) => m.name),
    ["humidity", "temperature"],
  );

  // Paging: one device per page.
  const p1 = await ok<{
    devices: {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  }>(`{ devices(first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
  assert.equal(p1.devices.pageInfo.hasNextPage, true);
  const p2 = await ok<{
    devices: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
  }>(
    `query($a: String) { devices(first: 1, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }`,
    { a: p1.devices.pageInfo.endCursor },
  );
  assert.equal(p2.devices.pageInfo.hasNextPage, false);
  assert.notEqual(p2.devices.edges[0]!.node.id, p1.devices.edges[0]!.node.id);

  const bad = async (query: string, code: string, match?: RegExp) => {
    const r = await t.gql(query, {}, t.users.CURATOR);
    assert.equal(errorCode(r), code, JSON.stringify(r.errors));
    if (match) assert.match(r.errors![0]!.message, match);
  };
  await bad(
    `mutation { createLine(input: { name: "Line A 110 kV", voltageKv: 110 }) { id } }`,
    "CONFLICT",
  );
  await bad(
    `mutation { createLine(input: { name: "L", voltageKv: -1 }) { id } }`,
    "BAD_USER_INPUT",
    /voltageKv/,
  );
  await bad(
    `mutation { createTower(input: { name: "T", latitude: 91, longitude: 0 }) { id } }`,
    "BAD_USER_INPUT",
    /latitude/,
  );
  await bad(
    `mutation { createDevice(input: { name: "bad/name", kind: SENSOR }) { id } }`,
    "BAD_USER_INPUT",
    /MQTT topic/,
  );
  await bad(
    `mutation { createDevice(input: { name: "x", kind: SENSOR, towerId: "00000000-0000-7000-8000-000000000000" }) { id } }`,
    "NOT_FOUND",
  );

  const created = (
    await ok<{ createDevice: { id: string } }>(
      `mutation { createDevice(input: { name: "spare-meter", kind: SMART_METER, metadata: { serial: "M-1" } }) { id } }`,
    )
  ).createDevice.id;
  const updated = await ok<{
    updateDevice: { name: string; tower: { name: string } | null; metadata: unknown };
  }>(
    `mutation($id: ID!, $t: ID) { updateDevice(id: $id, input: { name: "spare-meter-2", towerId: $t }) { name tower { name } metadata } }`,
    { id: created, t: towerId },
  );
  assert.deepEqual(updated.updateDevice, {
    name: "spare-meter-2",
    tower: { name: "Tower A1" },
    metadata: { serial: "M-1" },
  });
  const cleared = await ok<{ updateDevice: { tower: null } }>(
    `mutation($id: ID!) { updateDevice(id: $id, input: { clearTower: true }) { tower { name } } }`,
    { id: created },
  );
  assert.equal(cleared.updateDevice.tower, null);
  assert.equal(
    (
      await ok<{ deleteDevice: boolean }>(`mutation($id: ID!) { deleteDevice(id: $id) }`, {
        id: created,
      })
    ).deleteDevice,
    true,
  );
  assert.equal(
    (await ok<{ device: null }>(`query($id: ID!) { device(id: $id) { id } }`, { id: created }))
      .device,
    null,
  );

  const actions = (
    await t.db.prisma.auditEvent.findMany({
      where: {
        action: {
          in: ["line.create", "tower.create", "device.create", "device.update", "device.delete"],
        },
      },
    })
  ).map((e) => e.action);
  for (const a of [
    "line.create",
    "tower.create",
    "device.create",
    "device.update",
    "device.delete",
  ])
    assert.ok(actions.includes(a), `audited: ${a}`);
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createLine(input: { name: "V", voltageKv: 1 }) { id } }`,
        {},
        t.users.VIEWER,
      ),
    ),
    "FORBIDDEN",
  );
});

test("metrics and image sources: validation, conflicts, unknown ids, and detaching", async () => {
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createMetric(input: { name: "humidity", unit: "%" }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "CONFLICT",
  );
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createMetric(input: { name: "Bad Name", unit: "%" }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "BAD_USER_INPUT",
  );
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createMetric(input: { name: "wind", unit: "" }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "BAD_USER_INPUT",
  );
  const metrics = await ok<{ metrics: { name: string; unit: string }[] }>(
    `{ metrics { name unit } }`,
    {},
    t.users.VIEWER,
  );
  assert.deepEqual(metrics.metrics.map((m) => m.name).sort(), ["humidity", "temperature"]);

  const ds = (
    await ok<{ createDataset: { id: string } }>(
      `mutation { createDataset(input: { name: "sources" }) { id } }`,
    )
  ).createDataset.id;
  const { image } = await addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    { datasetId: ds, buffer: await makePng(16, 16, 950), filename: "s.png", actor: null },
  );
  const SET = `mutation($i: ID!, $d: ID, $t: ID) { setImageSource(imageId: $i, deviceId: $d, towerId: $t) { id } }`;
  assert.equal(
    errorCode(
      await t.gql(SET, { i: image.id, d: "00000000-0000-7000-8000-000000000000" }, t.users.CURATOR),
    ),
    "NOT_FOUND",
  );
  assert.equal(
    errorCode(await t.gql(SET, { i: image.id, d: sensorId }, t.users.VIEWER)),
    "FORBIDDEN",
  );
  let row = await t.db.prisma.image.findUniqueOrThrow({ where: { id: image.id } });
  assert.equal(row.deviceId, null, "a refused call changes nothing");
  await ok(SET, { i: image.id, d: sensorId, t: towerId });
  row = await t.db.prisma.image.findUniqueOrThrow({ where: { id: image.id } });
  assert.deepEqual([row.deviceId, row.towerId], [sensorId, towerId]);
  await ok(SET, { i: image.id, d: null });
  row = await t.db.prisma.image.findUniqueOrThrow({ where: { id: image.id } });
  assert.deepEqual([row.deviceId, row.towerId], [null, towerId], "only the named link is detached");
});

test("ingestReadings stores good rows, dead-letters bad ones with the ingester's reasons, and drops duplicates", async () => {
  const r = await ingest([
    { device: "a1-sensor", metric: "humidity", time: iso(T0 - 3_600_000), value: 50 },
    { device: "a1-sensor", metric: "humidity", time: String(T0 - 3_540_000), value: 52, unit: "%" },
    { device: "nope", metric: "humidity", time: iso(T0), value: 1 },
    { device: "a1-sensor", metric: "pressure", time: iso(T0), value: 1 },
    { device: "a1-sensor", metric: "humidity", time: iso(T0), value: 1, unit: "kV" },
    { device: "a1-sensor", metric: "humidity", time: "yesterday", value: 1 },
    { device: "a1-sensor", metric: "humidity", time: iso(Date.now() + 3_600_000), value: 1 },
  ]);
  assert.deepEqual(
    { received: r.received, stored: r.stored, duplicates: r.duplicates, rejected: r.rejected },
    { received: 7, stored: 2, duplicates: 0, rejected: 5 },
  );
  assert.deepEqual(
    r.rejections.map((x) => [x.index, x.code]),
    [
      [2, "UNKNOWN_DEVICE"],
      [3, "UNKNOWN_METRIC"],
      [4, "WRONG_UNIT"],
      [5, "SCHEMA"],
      [6, "FUTURE_TIMESTAMP"],
    ],
  );
  const letters = await ok<{
    deadLetters: { edges: { node: { source: string; reason: string; payload: string } }[] };
  }>(`{ deadLetters(first: 10) { edges { node { source reason payload } } } }`, {}, t.users.ADMIN);
  const reasons = letters.deadLetters.edges.map((e) => e.node.reason.split(":")[0]).sort();
  assert.deepEqual(reasons, [
    "FUTURE_TIMESTAMP",
    "SCHEMA",
    "UNKNOWN_DEVICE",
    "UNKNOWN_METRIC",
    "WRONG_UNIT",
  ]);
  assert.ok(letters.deadLetters.edges.every((e) => e.node.source === "graphql"));
  assert.match(
    letters.deadLetters.edges.find((e) => e.node.reason.startsWith("UNKNOWN_DEVICE"))!.node.payload,
    /"device":"nope"/,
  );
  assert.equal(
    errorCode(await t.gql(`{ deadLetters { edges { node { id } } } }`, {}, t.users.CURATOR)),
    "FORBIDDEN",
  );

  const again = await ingest([
    { device: "a1-sensor", metric: "humidity", time: iso(T0 - 3_600_000), value: 50 },
  ]);
  assert.deepEqual(
    { stored: again.stored, duplicates: again.duplicates },
    { stored: 0, duplicates: 1 },
  );
  assert.ok(await t.db.prisma.auditEvent.findFirst({ where: { action: "readings.ingest" } }));
});

test("readings: raw and downsampled with date_bin, with the range and point cap checked", async () => {
  // 09:00 .. 09:59, one reading a minute: value = minute of the hour.
  await ingest(
    Array.from({ length: 60 }, (_, m) => ({
      device: "a1-sensor",
      metric: "temperature",
      time: iso(T0 - 3_600_000 + m * 60_000),
      value: m,
    })),
  );
  const Q = `query($d: ID!, $from: DateTime!, $to: DateTime!, $b: String) { readings(deviceId: $d, metric: "temperature", from: $from, to: $to, bucket: $b) {
    bucket metric { unit } points { time min avg max count } } }`;
  const vars = { d: sensorId, from: iso(T0 - 3_600_000), to: iso(T0) };
  const quarter = (
    await ok<{
      readings: {
        bucket: string;
        points: { time: string; min: number; avg: number; max: number; count: number }[];
      };
    }>(Q, { ...vars, b: "15 minutes" }, t.users.VIEWER)
  ).readings;
  assert.equal(quarter.bucket, "15 minutes");
  assert.deepEqual(
    quarter.points,
    [0, 1, 2, 3].map((k) => ({
      time: iso(T0 - 3_600_000 + k * 900_000),
      min: 15 * k,
      avg: 15 * k + 7,
      max: 15 * k + 14,
      count: 15,
    })),
  );
  const hour = (
    await ok<{ readings: { points: { avg: number; count: number }[] } }>(
      Q,
      { ...vars, b: "1 hour" },
      t.users.VIEWER,
    )
  ).readings;
  assert.deepEqual(
    hour.points.map((p) => [p.avg, p.count]),
    [[29.5, 60]],
  );
  const raw = (
    await ok<{ readings: { bucket: null; points: { min: number }[] } }>(
      Q,
      { ...vars, from: iso(T0 - 600_000) },
      t.users.VIEWER,
    )
  ).readings;
  assert.equal(raw.bucket, null);
  assert.deepEqual(
    raw.points.map((p) => p.min),
    [50, 51, 52, 53, 54, 55, 56, 57, 58, 59],
  );

  const bad = async (v: Record<string, unknown>, code: string, match: RegExp) => {
    const r = await t.gql(Q, { ...vars, ...v }, t.users.VIEWER);
    assert.equal(errorCode(r), code, JSON.stringify(r.errors));
    assert.match(r.errors![0]!.message, match);
  };
  await bad({ from: iso(T0), to: iso(T0 - 1) }, "BAD_USER_INPUT", /before/);
  await bad({ b: "1 fortnight" }, "BAD_USER_INPUT", /bucket/);
  await bad({ from: "2020-01-01T00:00:00Z", b: "1 minute" }, "BAD_USER_INPUT", /at most 10000/);
});

test("Image.context: readings of the image's device and its tower within ±window of capturedAt", async () => {
  const ds = (
    await ok<{ createDataset: { id: string } }>(
      `mutation { createDataset(input: { name: "context" }) { id } }`,
    )
  ).createDataset.id;
  const { image } = await addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    {
      datasetId: ds,
      buffer: await makePng(16, 16, 900),
      filename: "c.png",
      capturedAt: new Date(T0 - 1_800_000),
      actor: null,
    },
  );
  // The camera took it; the humidity and temperature come from the sensor on the same tower.
  await ok(`mutation($i: ID!, $d: ID) { setImageSource(imageId: $i, deviceId: $d) { id } }`, {
    i: image.id,
    d: cameraId,
  });
  const Q = `query($id: ID!, $w: Int) { image(id: $id) { context(window: $w) { windowMinutes devices { name }
    series { device { name } metric { name } count min avg max last lastTime points { time avg } } } } }`;
  type Ctx = {
    image: {
      context: {
        windowMinutes: number;
        devices: { name: string }[];
        series: {
          device: { name: string };
          metric: { name: string };
          count: number;
          min: number;
          avg: number;
          max: number;
          last: number;
          lastTime: string;
          points: unknown[];
        }[];
      } | null;
    };
  };
  const c = (await ok<Ctx>(Q, { id: image.id, w: 5 }, t.users.VIEWER)).image.context!;
  assert.deepEqual(
    c.devices.map((d) => d.name),
    ["a1-camera", "a1-sensor"],
  );
  // capturedAt = 09:30; ±5 min covers minutes 25..35 of the temperature series.
  const temp = c.series.find((s) => s.metric.name === "temperature")!;
  assert.deepEqual(
    {
      device: temp.device.name,
      count: temp.count,
      min: temp.min,
      avg: temp.avg,
      max: temp.max,
      last: temp.last,
      lastTime: temp.lastTime,
      points: temp.points.length,
    },
    {
      device: "a1-sensor",
      count: 11,
      min: 25,
      avg: 30,
      max: 35,
      last: 35,
      lastTime: iso(T0 - 1_500_000),
      points: 11,
    },
  );
  // Humidity readings at 09:00 and 09:01 are outside ±5 min, inside ±30 min.
  assert.equal(
    c.series.find((s) => s.metric.name === "humidity"),
    undefined,
  );
  const wide = (await ok<Ctx>(Q, { id: image.id, w: 30 }, t.users.VIEWER)).image.context!;
  assert.deepEqual(wide.series.find((s) => s.metric.name === "humidity")!.count, 2);
  assert.equal(errorCode(await t.gql(Q, { id: image.id, w: 0 }, t.users.VIEWER)), "BAD_USER_INPUT");

  const { image: bare } = await addImageFromBuffer(
    { prisma: t.db.prisma, storage: t.storage, config: t.config },
    { datasetId: ds, buffer: await makePng(16, 16, 901), filename: "b.png", actor: null },
  );
  assert.equal((await ok<Ctx>(Q, { id: bare.id }, t.users.VIEWER)).image.context, null);
});

test("sensorBandBalance: per-class image counts by the average reading around each capture", async () => {
  const ds = (
    await ok<{ createDataset: { id: string } }>(
      `mutation { createDataset(input: { name: "bands", classes: [{ name: "flashover" }, { name: "nest" }] }) { id } }`,
    )
  ).createDataset.id;
  // Humidity of a second tower's sensor: 40 % at 08:00, 60 % at 12:00, 90 % at 16:00 (each ±1 min).
  const tower2 = (
    await ok<{ createTower: { id: string } }>(
      `mutation { createTower(input: { name: "Tower B1", latitude: 30.6, longitude: 114.4 }) { id } }`,
    )
  ).createTower.id;
  await ok(
    `mutation($t: ID) { createDevice(input: { name: "b1-sensor", kind: SENSOR, towerId: $t }) { id } }`,
    { t: tower2 },
  );
  const at = (h: number) => Date.parse(`2026-03-02T${String(h).padStart(2, "0")}:00:00Z`);
  const rows = [];
  for (const [h, v] of [
    [8, 40],
    [12, 60],
    [16, 90],
  ] as const) {
    rows.push({ device: "b1-sensor", metric: "humidity", time: iso(at(h) - 60_000), value: v - 2 });
    rows.push({ device: "b1-sensor", metric: "humidity", time: iso(at(h) + 60_000), value: v + 2 });
  }
  assert.equal((await ingest(rows)).stored, 6);
  // image: hour of capture (null: none), classes
  const images: [number | null, string[]][] = [
    [8, ["flashover"]],
    [8, ["nest"]],
    [12, ["flashover", "nest"]],
    [16, ["flashover"]],
    [16, ["flashover"]],
    [null, ["nest"]],
    [20, ["nest"]], // no reading within the window
  ];
  let seed = 950;
  for (const [h, classes] of images) {
    const { image } = await addImageFromBuffer(
      { prisma: t.db.prisma, storage: t.storage, config: t.config },
      {
        datasetId: ds,
        buffer: await makePng(16, 16, seed++),
        filename: `${seed}.png`,
        capturedAt: h === null ? null : new Date(at(h)),
        annotations: classes.map((className) => ({
          className,
          box: { x: 1, y: 1, width: 4, height: 4 },
        })),
        actor: null,
      },
    );
    await t.db.prisma.image.update({ where: { id: image.id }, data: { towerId: tower2 } });
  }
  const Q = `query($d: ID!, $b: [Float!], $q: Int, $w: Int) { sensorBandBalance(datasetId: $d, metric: "humidity", bands: $b, quantiles: $q, window: $w) {
    edges matched unmatched windowMinutes bands { lower upper images classes { defectClass { name } images } } } }`;
  type R = {
    sensorBandBalance: {
      edges: number[];
      matched: number;
      unmatched: number;
      windowMinutes: number;
      bands: {
        lower: number | null;
        upper: number | null;
        images: number;
        classes: { defectClass: { name: string }; images: number }[];
      }[];
    };
  };
  const counts = (r: R) =>
    r.sensorBandBalance.bands.map((b) => [
      b.lower,
      b.upper,
      b.images,
      ...b.classes.map((c) => c.images),
    ]);
  const byEdges = await ok<R>(Q, { d: ds, b: [50, 80], w: 10 }, t.users.VIEWER);
  assert.equal(byEdges.sensorBandBalance.matched, 5);
  assert.equal(byEdges.sensorBandBalance.unmatched, 2);
  assert.deepEqual(
    byEdges.sensorBandBalance.bands[0]!.classes.map((c) => c.defectClass.name),
    ["flashover", "nest"],
  );
  // [lower, upper, images, flashover, nest]
  assert.deepEqual(counts(byEdges), [
    [null, 50, 2, 1, 1],
    [50, 80, 1, 1, 1],
    [80, null, 2, 2, 0],
  ]);
  // Tertiles of the five values 40, 40, 60, 90, 90: 1/3 → 40 + (60-40)·(4/3-1) ≈ 46.67, 2/3 → 60 + 30·(8/3-2) = 80.
  const byQuantiles = await ok<R>(Q, { d: ds, q: 3, w: 10 }, t.users.VIEWER);
  assert.equal(byQuantiles.sensorBandBalance.edges.length, 2);
  assert.ok(Math.abs(byQuantiles.sensorBandBalance.edges[0]! - 140 / 3) < 1e-9);
  assert.ok(Math.abs(byQuantiles.sensorBandBalance.edges[1]! - 80) < 1e-9);
  assert.deepEqual(
    counts(byQuantiles).map((c) => c.slice(2)),
    [
      [2, 1, 1],
      [1, 1, 1],
      [2, 2, 0],
    ],
  );
  // The window is inclusive: readings exactly one minute away still count with window 1.
  const narrow = await ok<R>(Q, { d: ds, b: [50], w: 1 }, t.users.VIEWER);
  assert.equal(narrow.sensorBandBalance.matched, 5);

  for (const v of [
    { d: ds },
    { d: ds, b: [50], q: 3 },
    { d: ds, b: [60, 50] },
    { d: ds, q: 1 },
    { d: ds, b: [50], w: 0 },
  ]) {
    assert.equal(errorCode(await t.gql(Q, v, t.users.VIEWER)), "BAD_USER_INPUT", JSON.stringify(v));
  }
});
