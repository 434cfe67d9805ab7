// Images in context: EXIF capture time and GPS at upload and at addImageFromBuffer (real JPEGs
// written with EXIF here), the nearest tower within the match distance, synthetic images that
// borrow their lineage's context, and the line/tower edit and delete mutations.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";
import { addImageFromBuffer } from "@gridfill/core/images/uploads.ts";
import { parseExifDate, readExifContext, towerMatchKm } from "@gridfill/core/iot/exif.ts";

let t: TestApi;
let datasetId: string;
let towerNear: string;
let towerOther: string;
let sensorId: string;
const T0 = Date.parse("2026-03-01T10:00:00Z");

async function ok<T>(
  query: string,
  variables: Record<string, unknown> = {},
  as = t.users.CURATOR,
): Promise<T> {
  const r = await t.gql<T>(query, variables, as);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

/** A small JPEG; with `exif`, it carries DateTimeOriginal (+ offset) and a GPS position. */
async function jpeg(
  seed: number,
  exif?: {
    date?: string;
    offset?: string;
    lat?: [number, number, number, "N" | "S"];
    lon?: [number, number, number, "E" | "W"];
  },
): Promise<Buffer> {
  let img = sharp({
    create: {
      width: 24,
      height: 16,
      channels: 3,
      background: { r: seed % 256, g: (seed * 7) % 256, b: 90 },
    },
  }).jpeg();
  if (exif) {
    const ifd2: Record<string, string> = {};
    if (exif.date) ifd2.DateTimeOriginal = exif.date;
    if (exif.offset) ifd2.OffsetTimeOriginal = exif.offset;
    const ifd3: Record<string, string> = {};
    const dms = (v: [number, number, number, string]) =>
      `${v[0]}/1 ${v[1]}/1 ${Math.round(v[2] * 100)}/100`;
    if (exif.lat) Object.assign(ifd3, { GPSLatitudeRef: exif.lat[3], GPSLatitude: dms(exif.lat) });
    if (exif.lon)
      Object.assign(ifd3, { GPSLongitudeRef: exif.lon[3], GPSLongitude: dms(exif.lon) });
    img = img.withExif({
      IFD0: { Make: "gridfill test" },
      ...(Object.keys(ifd2).length ? { IFD2: ifd2 } : {}),
      ...(Object.keys(ifd3).length ? { IFD3: ifd3 } : {}),
    });
  }
  return img.toBuffer();
}

const deps = () => ({ prisma: t.db.prisma, storage: t.storage, config: t.config });
const IMAGE = `query($id: ID!) { image(id: $id) { id capturedAt latitude longitude tower { id name } } }`;
type ImageView = {
  id: string;
  capturedAt: string | null;
  latitude: number | null;
  longitude: number | null;
  tower: { id: string; name: string } | null;
};

before(async () => {
  t = await startTestApi();
  datasetId = (
    await ok<{ createDataset: { id: string } }>(
      `mutation { createDataset(input: { name: "in context", classes: [{ name: "flashover" }] }) { id } }`,
    )
  ).createDataset.id;
  const tower = async (name: string, lat: number, lon: number) =>
    (
      await ok<{ createTower: { id: string } }>(
        `mutation($n: String!, $a: Float!, $o: Float!) { createTower(input: { name: $n, latitude: $a, longitude: $o }) { id } }`,
        { n: name, a: lat, o: lon },
      )
    ).createTower.id;
  // 30.5 N 114.3 E, and one about 2.2 km east of it.
  towerNear = await tower("Tower W", 30.5, 114.3);
  towerOther = await tower("Tower E", 30.5, 114.323);
  await ok(`mutation { createMetric(input: { name: "humidity", unit: "%" }) { id } }`);
  sensorId = (
    await ok<{ createDevice: { id: string } }>(
      `mutation($t: ID) { createDevice(input: { name: "w-sensor", kind: SENSOR, towerId: $t }) { id } }`,
      { t: towerNear },
    )
  ).createDevice.id;
  const batch = Array.from({ length: 5 }, (_, i) => ({
    device: "w-sensor",
    metric: "humidity",
    time: new Date(T0 + (i - 2) * 60_000).toISOString(),
    value: 60 + i,
  }));
  const r = await ok<{ ingestReadings: { stored: number } }>(
    `mutation($b: [ReadingInput!]!) { ingestReadings(batch: $b) { stored } }`,
    { b: batch },
  );
  assert.equal(r.ingestReadings.stored, 5);
});
after(async () => {
  await t?.close();
});

test("EXIF dates: the offset tag is applied, a missing one means UTC, impossible dates are ignored", () => {
  assert.equal(
    parseExifDate("2026:03:01 12:05:00", "+02:00")?.toISOString(),
    "2026-03-01T10:05:00.000Z",
  );
  assert.equal(
    parseExifDate("2026:03:01 10:05:00", undefined)?.toISOString(),
    "2026-03-01T10:05:00.000Z",
  );
  assert.equal(
    parseExifDate("2026:03:01 05:05:00", "-05:00")?.toISOString(),
    "2026-03-01T10:05:00.000Z",
  );
  assert.equal(parseExifDate("2026:02:31 10:00:00", undefined), undefined);
  assert.equal(parseExifDate("0000:00:00 00:00:00", undefined), undefined);
  assert.equal(parseExifDate("yesterday", undefined), undefined);
  assert.equal(towerMatchKm({}), 5);
  assert.equal(towerMatchKm({ GRIDFILL_TOWER_MATCH_KM: "0.5" }), 0.5);
  assert.throws(() => towerMatchKm({ GRIDFILL_TOWER_MATCH_KM: "far" }), /GRIDFILL_TOWER_MATCH_KM/);
});

test("addImageFromBuffer takes capture time and GPS from EXIF and puts the image on the nearest tower", async () => {
  // 30°30'00" N, 114°18'18" E: about 0.5 km east of Tower W, 1.7 km west of Tower E.
  const withExif = await jpeg(1, {
    date: "2026:03:01 12:00:30",
    offset: "+02:00",
    lat: [30, 30, 0, "N"],
    lon: [114, 18, 18, "E"],
  });
  const read = await readExifContext(withExif);
  assert.equal(read.capturedAt?.toISOString(), "2026-03-01T10:00:30.000Z");
  assert.ok(
    Math.abs(read.latitude! - 30.5) < 1e-9 && Math.abs(read.longitude! - 114.305) < 1e-9,
    JSON.stringify(read),
  );

  const added = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: withExif,
    filename: "exif.jpg",
    actor: null,
  });
  const view = (await ok<{ image: ImageView }>(IMAGE, { id: added.image.id }, t.users.VIEWER))
    .image;
  assert.equal(view.capturedAt, "2026-03-01T10:00:30.000Z");
  assert.ok(Math.abs(view.latitude! - 30.5) < 1e-9 && Math.abs(view.longitude! - 114.305) < 1e-9);
  assert.deepEqual(view.tower, { id: towerNear, name: "Tower W" });
  // With a tower, it has a telemetry context straight away.
  const context = await ok<{
    image: { context: { derived: boolean; series: { count: number }[] } };
  }>(
    `query($id: ID!) { image(id: $id) { context(window: 5) { derived series { count } } } }`,
    { id: added.image.id },
    t.users.VIEWER,
  );
  assert.deepEqual(context.image.context, { derived: false, series: [{ count: 5 }] });

  // No EXIF: nothing is made up.
  const plain = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(2),
    filename: "plain.jpg",
    actor: null,
  });
  assert.deepEqual((await ok<{ image: ImageView }>(IMAGE, { id: plain.image.id })).image, {
    id: plain.image.id,
    capturedAt: null,
    latitude: null,
    longitude: null,
    tower: null,
  });

  // What the caller gives wins over EXIF: its time, its position (→ the tower nearest it), its tower.
  const given = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(3, {
      date: "2026:03:01 12:00:30",
      offset: "+02:00",
      lat: [30, 30, 0, "N"],
      lon: [114, 18, 18, "E"],
    }),
    filename: "given.jpg",
    capturedAt: new Date("2025-12-24T08:00:00Z"),
    latitude: 30.5,
    longitude: 114.322,
    actor: null,
  });
  const g = (await ok<{ image: ImageView }>(IMAGE, { id: given.image.id })).image;
  assert.equal(g.capturedAt, "2025-12-24T08:00:00.000Z");
  assert.equal(g.longitude, 114.322);
  assert.equal(g.tower?.id, towerOther);
  const pinned = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(4, { lat: [30, 30, 0, "N"], lon: [114, 18, 18, "E"] }),
    filename: "pinned.jpg",
    towerId: null,
    actor: null,
  });
  const p = (await ok<{ image: ImageView }>(IMAGE, { id: pinned.image.id })).image;
  assert.equal(p.tower, null, "an explicit null tower is kept");
  assert.equal(p.capturedAt, null, "no DateTimeOriginal, no capture time");
  assert.equal(p.latitude, 30.5);

  // Far from every tower (about 55 km north): position kept, no tower.
  const far = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(5, { lat: [31, 0, 0, "N"], lon: [114, 18, 0, "E"] }),
    filename: "far.jpg",
    actor: null,
  });
  const f = (await ok<{ image: ImageView }>(IMAGE, { id: far.image.id })).image;
  assert.equal(f.latitude, 31);
  assert.equal(f.tower, null);

  // Southern and western hemispheres come out negative.
  const sw = await readExifContext(
    await jpeg(6, { lat: [33, 52, 12, "S"], lon: [151, 12, 36, "W"] }),
  );
  assert.ok(
    Math.abs(sw.latitude! + 33.87) < 1e-9 && Math.abs(sw.longitude! + 151.21) < 1e-9,
    JSON.stringify(sw),
  );

  // Bad positions from the caller are refused before anything is stored.
  await assert.rejects(
    addImageFromBuffer(deps(), {
      datasetId,
      buffer: await jpeg(7),
      filename: "bad.jpg",
      latitude: 95,
      longitude: 0,
      actor: null,
    }),
    /latitude/,
  );
  await assert.rejects(
    addImageFromBuffer(deps(), {
      datasetId,
      buffer: await jpeg(7),
      filename: "bad.jpg",
      latitude: 30,
      actor: null,
    }),
    /together/,
  );
  assert.equal(await t.db.prisma.image.count({ where: { filename: "bad.jpg" } }), 0);
});

test("confirmUpload reads EXIF too", async () => {
  const bytes = await jpeg(11, {
    date: "2026:03:01 10:01:00",
    lat: [30, 30, 0, "N"],
    lon: [114, 19, 22.8, "E"],
  });
  const ticket = (
    await ok<{ requestUpload: { uploadId: string; url: string; headers: Record<string, string> } }>(
      `mutation($d: ID!, $i: UploadRequestInput!) { requestUpload(datasetId: $d, input: $i) { uploadId url headers } }`,
      {
        d: datasetId,
        i: {
          filename: "upload.jpg",
          sha256: createHash("sha256").update(bytes).digest("hex"),
          bytes: bytes.length,
          mimeType: "image/jpeg",
        },
      },
    )
  ).requestUpload;
  const put = await fetch(ticket.url, {
    method: "PUT",
    headers: ticket.headers,
    body: new Uint8Array(bytes),
  });
  assert.equal(put.status, 200);
  const confirmed = await ok<{ confirmUpload: { image: ImageView } }>(
    `mutation($d: ID!, $u: ID!) { confirmUpload(datasetId: $d, uploadId: $u) { image { id capturedAt latitude longitude tower { id name } } } }`,
    { d: datasetId, u: ticket.uploadId },
  );
  const image = confirmed.confirmUpload.image;
  assert.equal(image.capturedAt, "2026-03-01T10:01:00.000Z");
  assert.ok(Math.abs(image.longitude! - 114.323) < 1e-9);
  assert.equal(image.tower?.id, towerOther, "114°19'22.8\" E is Tower E's longitude");
});

test("a synthetic image without a context of its own takes its lineage's, flagged as derived", async () => {
  const base = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(21, {
      date: "2026:03:01 10:00:00",
      lat: [30, 30, 0, "N"],
      lon: [114, 18, 0, "E"],
    }),
    filename: "base.jpg",
    actor: null,
  });
  const ref = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(22),
    filename: "ref.jpg",
    actor: null,
  });
  const synthetic = await addImageFromBuffer(deps(), {
    datasetId,
    buffer: await jpeg(23),
    filename: "synthetic.jpg",
    origin: "SYNTHETIC",
    reviewState: "ACCEPTED",
    actor: null,
  });
  const prisma = t.db.prisma;
  const model = await prisma.modelVersion.create({
    data: {
      name: "ctx-test",
      version: "1",
      generatorKey: "g",
      generatorSha256: "0".repeat(64),
      imageSize: 64,
      shots: 3,
      fusedPositions: 1,
      gridSize: 4,
      classNames: ["flashover"],
    },
  });
  const flashover = await prisma.defectClass.findFirstOrThrow({
    where: { datasetId, name: "flashover" },
  });
  const request = await prisma.fillRequest.create({
    data: {
      datasetId,
      classId: flashover.id,
      modelVersionId: model.id,
      count: 1,
      shots: 3,
      seed: 1n,
    },
  });
  // The reference without a context is listed first: the base image is still the one used.
  await prisma.lineage.create({
    data: {
      imageId: synthetic.image.id,
      requestId: request.id,
      sampleIndex: 0,
      modelVersionId: model.id,
      modelSha256: "0".repeat(64),
      seed: 1n,
      baseImageId: base.image.id,
      referenceImageIds: [ref.image.id, base.image.id],
      referenceBoxes: [],
      coefficients: [],
      positions: [],
      executionProvider: "cpu",
    },
  });
  const Q = `query($id: ID!) { image(id: $id) { origin context(window: 5) { derived derivedFrom capturedAt devices { name } series { count avg } } } }`;
  type Ctx = {
    image: {
      origin: string;
      context: {
        derived: boolean;
        derivedFrom: string[];
        capturedAt: string;
        devices: { name: string }[];
        series: { count: number; avg: number }[];
      } | null;
    };
  };
  const own = (await ok<Ctx>(Q, { id: base.image.id }, t.users.VIEWER)).image.context!;
  const derived = (await ok<Ctx>(Q, { id: synthetic.image.id }, t.users.VIEWER)).image;
  assert.equal(derived.origin, "SYNTHETIC");
  assert.deepEqual(derived.context, { ...own, derived: true, derivedFrom: [base.image.id] });
  assert.deepEqual(own.series, [{ count: 5, avg: 62 }]);
  assert.equal(own.derived, false);

  // The synthetic image counts in the base image's sensor band.
  const band = await ok<{ sensorBandBalance: { matched: number; bands: { images: number }[] } }>(
    `query($d: ID!) { sensorBandBalance(datasetId: $d, metric: "humidity", bands: [100], window: 5) { matched bands { images } } }`,
    { d: datasetId },
    t.users.VIEWER,
  );
  const withContext = await prisma.image.count({
    where: {
      datasetId,
      towerId: towerNear,
      capturedAt: { gte: new Date(T0 - 300_000), lte: new Date(T0 + 300_000) },
    },
  });
  assert.equal(
    band.sensorBandBalance.matched,
    withContext + 1,
    "base-derived synthetic image is matched",
  );

  // Without a base or reference that has a context, there is none; a real image never derives one.
  await prisma.lineage.update({
    where: { imageId: synthetic.image.id },
    data: { baseImageId: ref.image.id, referenceImageIds: [ref.image.id] },
  });
  assert.equal((await ok<Ctx>(Q, { id: synthetic.image.id })).image.context, null);
  assert.equal((await ok<Ctx>(Q, { id: ref.image.id })).image.context, null);
});

test("lines and towers: update and delete with validation, conflicts, audit events and role checks", async () => {
  const line = (
    await ok<{ createLine: { id: string } }>(
      `mutation { createLine(input: { name: "Line X", voltageKv: 110 }) { id } }`,
    )
  ).createLine.id;
  await ok(`mutation { createLine(input: { name: "Line Y", voltageKv: 220 }) { id } }`);
  const tower = (
    await ok<{ createTower: { id: string } }>(
      `mutation($l: ID) { createTower(input: { name: "Tower X1", latitude: 10, longitude: 20, lineId: $l }) { id } }`,
      { l: line },
    )
  ).createTower.id;
  const device = (
    await ok<{ createDevice: { id: string } }>(
      `mutation($t: ID) { createDevice(input: { name: "x1-meter", kind: SMART_METER, towerId: $t }) { id } }`,
      { t: tower },
    )
  ).createDevice.id;

  const updated = await ok<{ updateLine: { name: string; voltageKv: number } }>(
    `mutation($id: ID!) { updateLine(id: $id, input: { name: "Line X2", voltageKv: 330 }) { name voltageKv } }`,
    { id: line },
  );
  assert.deepEqual(updated.updateLine, { name: "Line X2", voltageKv: 330 });
  const moved = await ok<{
    updateTower: {
      name: string;
      latitude: number;
      longitude: number;
      line: { name: string } | null;
    };
  }>(
    `mutation($id: ID!) { updateTower(id: $id, input: { name: "Tower X9", latitude: -10.5 }) { name latitude longitude line { name } } }`,
    { id: tower },
  );
  assert.deepEqual(moved.updateTower, {
    name: "Tower X9",
    latitude: -10.5,
    longitude: 20,
    line: { name: "Line X2" },
  });

  const bad = async (
    query: string,
    variables: Record<string, unknown>,
    code: string,
    match?: RegExp,
  ) => {
    const r = await t.gql(query, variables, t.users.CURATOR);
    assert.equal(errorCode(r), code, JSON.stringify(r.errors));
    if (match) assert.match(r.errors![0]!.message, match);
  };
  await bad(
    `mutation($id: ID!) { updateLine(id: $id, input: { name: "Line Y" }) { id } }`,
    { id: line },
    "CONFLICT",
    /Line Y/,
  );
  await bad(
    `mutation($id: ID!) { updateLine(id: $id, input: { voltageKv: 0 }) { id } }`,
    { id: line },
    "BAD_USER_INPUT",
    /voltageKv/,
  );
  await bad(
    `mutation($id: ID!) { updateTower(id: $id, input: { longitude: 181 }) { id } }`,
    { id: tower },
    "BAD_USER_INPUT",
    /longitude/,
  );
  await bad(
    `mutation($id: ID!) { updateTower(id: $id, input: { name: "Tower W" }) { id } }`,
    { id: tower },
    "CONFLICT",
  );
  await bad(
    `mutation($id: ID!, $l: ID) { updateTower(id: $id, input: { lineId: $l, clearLine: true }) { id } }`,
    { id: tower, l: line },
    "BAD_USER_INPUT",
    /not both/,
  );
  await bad(
    `mutation($id: ID!) { updateTower(id: $id, input: { lineId: "00000000-0000-7000-8000-000000000000" }) { id } }`,
    { id: tower },
    "NOT_FOUND",
  );
  await bad(
    `mutation { deleteTower(id: "00000000-0000-7000-8000-000000000000") }`,
    {},
    "NOT_FOUND",
  );
  await bad(`mutation { deleteLine(id: "not-a-uuid") }`, {}, "NOT_FOUND");
  // Refused changes changed nothing.
  assert.deepEqual(
    await t.db.prisma.tower.findUniqueOrThrow({
      where: { id: tower },
      select: { name: true, longitude: true, lineId: true },
    }),
    { name: "Tower X9", longitude: 20, lineId: line },
  );
  assert.equal(
    errorCode(
      await t.gql(`mutation($id: ID!) { deleteLine(id: $id) }`, { id: line }, t.users.VIEWER),
    ),
    "FORBIDDEN",
  );

  // Deleting the line keeps its tower and device, detached; deleting the tower keeps the device.
  assert.equal(
    (await ok<{ deleteLine: boolean }>(`mutation($id: ID!) { deleteLine(id: $id) }`, { id: line }))
      .deleteLine,
    true,
  );
  assert.equal((await t.db.prisma.tower.findUniqueOrThrow({ where: { id: tower } })).lineId, null);
  assert.equal(
    (await t.db.prisma.device.findUniqueOrThrow({ where: { id: device } })).lineId,
    null,
  );
  assert.equal(
    (
      await ok<{ deleteTower: boolean }>(`mutation($id: ID!) { deleteTower(id: $id) }`, {
        id: tower,
      })
    ).deleteTower,
    true,
  );
  assert.equal(
    (await t.db.prisma.device.findUniqueOrThrow({ where: { id: device } })).towerId,
    null,
  );

  const actions = new Set(
    (
      await t.db.prisma.auditEvent.findMany({
        where: { action: { in: ["line.update", "line.delete", "tower.update", "tower.delete"] } },
      })
    ).map((e) => e.action),
  );
  assert.deepEqual([...actions].sort(), [
    "line.delete",
    "line.update",
    "tower.delete",
    "tower.update",
  ]);

  // Deleting a device deletes its readings ("Reading" has no foreign keys to do it).
  const doomed = (
    await ok<{ createDevice: { id: string } }>(
      `mutation { createDevice(input: { name: "doomed", kind: SENSOR }) { id } }`,
    )
  ).createDevice.id;
  await ok(
    `mutation { ingestReadings(batch: [{ device: "doomed", metric: "humidity", time: "2026-03-01T10:00:00Z", value: 1 }]) { stored } }`,
  );
  assert.equal(await t.db.prisma.reading.count({ where: { deviceId: doomed } }), 1);
  await ok(`mutation($id: ID!) { deleteDevice(id: $id) }`, { id: doomed });
  assert.equal(await t.db.prisma.reading.count({ where: { deviceId: doomed } }), 0);
  assert.equal(await t.db.prisma.reading.count({ where: { deviceId: sensorId } }), 5);
});
