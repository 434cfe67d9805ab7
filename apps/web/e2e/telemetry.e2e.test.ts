/**
 * Telemetry in the console, in a real browser against a running platform: register a line, a
 * tower and a sensor through the API, see them on /devices, open the device's telemetry page, and
 * follow an image's telemetry panel from "no capture time" to "no device" once a capture time is
 * set, and to the readings around that time once the image is linked to the sensor. A metric is
 * registered through the API when the platform has none (a bare platform; the demo seeds some).
 *
 *   GRIDFILL_E2E_URL=http://127.0.0.1:3000 GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/telemetry.e2e.test.ts
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { BASE_URL, RESULTS, inConsole, pageGql, signIn, skipReason } from "./browser.ts";

test(
  "telemetry: devices, a device's charts, an image's telemetry panel",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-telemetry-"));
    const stamp = Date.now();
    try {
      const imageFile = path.join(workDir, `telemetry-${stamp}.png`);
      await sharp({
        create: {
          width: 160,
          height: 120,
          channels: 3,
          background: { r: stamp % 255, g: 90, b: 40 },
        },
      })
        .png()
        .toFile(imageFile);

      await inConsole("telemetry", async (opened) => {
        const { page, pageErrors } = opened;

        await page.goto(`${BASE_URL}/login`);
        await signIn(page);

        // A line, a tower on it and a sensor on the tower.
        const lineId = (
          await pageGql<{ createLine: { id: string } }>(
            page,
            `mutation($name: String!) { createLine(input: { name: $name, voltageKv: 110 }) { id } }`,
            { name: `e2e-line-${stamp}` },
          )
        ).createLine.id;
        const towerId = (
          await pageGql<{ createTower: { id: string } }>(
            page,
            `mutation($name: String!, $line: ID) {
              createTower(input: { name: $name, latitude: 30.5, longitude: 114.3, lineId: $line }) { id } }`,
            { name: `e2e-tower-${stamp}`, line: lineId },
          )
        ).createTower.id;
        const deviceName = `e2e-sensor-${stamp}`;
        const deviceId = (
          await pageGql<{ createDevice: { id: string } }>(
            page,
            `mutation($name: String!, $tower: ID, $line: ID) {
              createDevice(input: { name: $name, kind: SENSOR, towerId: $tower, lineId: $line }) { id } }`,
            { name: deviceName, tower: towerId, line: lineId },
          )
        ).createDevice.id;
        const { metrics } = await pageGql<{ metrics: { name: string }[] }>(
          page,
          `{ metrics { name } }`,
        );
        let metric = metrics[0]?.name;
        if (!metric) {
          metric = "humidity";
          await pageGql(
            page,
            `mutation { createMetric(input: { name: "humidity", unit: "%" }) { id } }`,
          );
        }
        {
          // One reading a minute over the last half hour.
          const now = Date.now();
          const batch = Array.from({ length: 30 }, (_, index) => ({
            device: deviceName,
            metric,
            time: new Date(now - (30 - index) * 60_000).toISOString(),
            value: 20 + Math.sin(index / 4) * 5,
          }));
          const { ingestReadings } = await pageGql<{ ingestReadings: { stored: number } }>(
            page,
            `mutation($batch: [ReadingInput!]!) { ingestReadings(batch: $batch) { stored } }`,
            { batch },
          );
          assert.equal(ingestReadings.stored, 30);
        }

        // The nav's Devices page lists it with its tower and line.
        await page.getByRole("link", { name: "Devices", exact: true }).click();
        await page.waitForURL(/\/devices$/);
        const row = page.locator(`[data-testid="device-row"][data-device="${deviceName}"]`);
        await row.waitFor();
        assert.match(await row.innerText(), new RegExp(`e2e-tower-${stamp}`));
        assert.match(await row.innerText(), new RegExp(`e2e-line-${stamp}`));

        // Its page: the last hour by default, in 10-second buckets.
        await row.getByRole("link", { name: deviceName }).click();
        await page.waitForURL(new RegExp(`/devices/${deviceId}$`));
        await page.getByTestId("device-view").waitFor();
        assert.match(await page.getByTestId("telemetry-bucket").innerText(), /10 seconds buckets/);
        {
          const panel = page.locator(`[data-testid="metric-panel"][data-metric="${metric}"]`);
          await panel
            .locator('[data-testid="telemetry-chart"] path.recharts-curve')
            .first()
            .waitFor();
          assert.equal(
            await panel.getByTestId("telemetry-chart").getAttribute("data-points"),
            "30",
          );
          // 7 days: a wider bucket, the same readings.
          await page.locator('[data-testid="telemetry-range"] [data-value="7d"]').click();
          await page.getByText("30 minutes buckets").waitFor();
          await panel
            .locator('[data-testid="telemetry-chart"] path.recharts-curve')
            .first()
            .waitFor();
        }
        await page.screenshot({ path: path.join(RESULTS, "device-telemetry.png"), fullPage: true });

        // An image: no capture time, then a capture time but no device linked.
        await page.getByRole("link", { name: "Datasets", exact: true }).click();
        await page.waitForURL(/\/datasets$/);
        await page.getByTestId("create-dataset-button").first().click();
        await page.getByTestId("dataset-name-input").fill(`e2e-telemetry-${stamp}`);
        await page.getByTestId("dataset-classes-input").fill("insulator_crack");
        await page.getByTestId("create-dataset-submit").click();
        await page.waitForURL(/\/datasets\/[^/]+$/);
        await page.getByTestId("sensor-band-panel").waitFor();
        await page.getByTestId("sensor-band-unmatched-state").waitFor();

        await page.getByRole("link", { name: "Images", exact: true }).click();
        await page.waitForURL(/\/images(\?|$)/);
        await page.getByTestId("open-upload").click();
        await page.getByTestId("upload-input").setInputFiles([imageFile]);
        await page
          .locator('[data-testid="upload-row"][data-state="done"]')
          .waitFor({ timeout: 60_000 });
        await page.getByTestId("upload-close").click();
        await page.locator('[data-testid="image-tile"] a').first().click();
        await page.waitForURL(/\/images\/[^/?]+/);
        await page.getByTestId("telemetry-no-capture").waitFor();
        // Captured 15 minutes ago (the browser's local time, as the input shows it).
        const captured = new Date(Date.now() - 15 * 60_000);
        const pad = (n: number) => String(n).padStart(2, "0");
        const local = `${captured.getFullYear()}-${pad(captured.getMonth() + 1)}-${pad(captured.getDate())}T${pad(captured.getHours())}:${pad(captured.getMinutes())}`;
        await page.getByTestId("image-captured-at").fill(local);
        await page.getByTestId("image-captured-at").blur();
        await page.getByTestId("telemetry-no-device").waitFor();

        // Linked to the sensor: the panel shows its readings within ±30 minutes of the capture.
        const imageId = /\/images\/([^/?]+)/.exec(page.url())![1]!;
        await pageGql(
          page,
          `mutation($i: ID!, $d: ID) { setImageSource(imageId: $i, deviceId: $d) { id } }`,
          {
            i: imageId,
            d: deviceId,
          },
        );
        await page.reload();
        const reading = page.locator(`[data-testid="telemetry-row"]`).first();
        await reading.waitFor();
        assert.match(await reading.innerText(), new RegExp(metric));

        assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);

test(
  "grid assets: create, edit and delete lines, towers and devices in the console; an uploaded photo lands on the tower nearest its EXIF GPS",
  { skip: skipReason(), timeout: 240_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const workDir = await mkdtemp(path.join(tmpdir(), "gridfill-e2e-assets-"));
    const stamp = Date.now();
    try {
      await inConsole("assets", async (opened) => {
        const { page } = opened;
        const p = page;
        await p.goto(`${BASE_URL}/login`);
        await signIn(p);
        await p.getByRole("link", { name: "Devices", exact: true }).click();
        await p.waitForURL(/\/devices$/);

        // A line through its form: a bad voltage is named, then fixed.
        const lineName = `ui-line-${stamp}`;
        await p.getByTestId("new-line").first().click();
        await p.getByTestId("line-name").fill(lineName);
        await p.getByTestId("line-voltage").fill("-5");
        await p.getByTestId("line-dialog-submit").click();
        await p
          .getByTestId("error-banner")
          .getByText(/Voltage \(kV\) must be between/)
          .waitFor();
        await p.getByTestId("line-voltage").fill("220");
        await p.getByTestId("line-dialog-submit").click();
        const lineRow = p.locator(`[data-testid="line-row"][data-line="${lineName}"]`);
        await lineRow.waitFor();
        assert.match(await lineRow.innerText(), /220 kV/);

        // A tower on it, somewhere no other test puts one (the south Atlantic).
        const towerName = `ui-tower-${stamp}`;
        const [lat, lon] = [-40 - (stamp % 1000) / 100_000, -20];
        await p.getByTestId("new-tower").first().click();
        await p.getByTestId("tower-name").fill(towerName);
        await p.getByTestId("tower-latitude").fill(String(lat));
        await p.getByTestId("tower-longitude").fill(String(lon));
        await p.getByTestId("tower-line").selectOption({ label: `${lineName} (220 kV)` });
        await p.getByTestId("tower-dialog-submit").click();
        const towerRow = p.locator(`[data-testid="tower-row"][data-tower="${towerName}"]`);
        await towerRow.waitFor();
        assert.match(await towerRow.innerText(), new RegExp(lineName));

        // A device: a name with a space is refused in the form (it is an MQTT topic level).
        const deviceName = `ui-sensor-${stamp}`;
        await p.getByTestId("new-device").first().click();
        await p.getByTestId("device-name").fill(`ui sensor ${stamp}`);
        await p.getByTestId("device-dialog-submit").click();
        await p
          .getByTestId("error-banner")
          .getByText(/MQTT topic/)
          .waitFor();
        await p.getByTestId("device-name").fill(deviceName);
        await p.getByTestId("device-tower").selectOption({ label: towerName });
        await p.getByTestId("device-dialog-submit").click();
        // Its MQTT secret is shown once, then gone.
        const secret = await p.getByTestId("device-secret-value").innerText();
        assert.match(secret, /^gfd_/);
        await p.getByTestId("device-secret").getByRole("button", { name: "Done" }).click();
        const deviceRow = p.locator(`[data-testid="device-row"][data-device="${deviceName}"]`);
        await deviceRow.waitFor();
        assert.match(
          await deviceRow.innerText(),
          new RegExp(`${towerName}[\\s\\S]*${lineName}`),
          "on the tower's line",
        );

        // Edit the tower: a new name.
        await towerRow.getByTestId("asset-edit").click();
        await p.getByTestId("tower-name").fill(`${towerName}-b`);
        await p.getByTestId("tower-dialog-submit").click();
        const renamed = p.locator(`[data-testid="tower-row"][data-tower="${towerName}-b"]`);
        await renamed.waitFor();

        // Readings from the device, and a photo whose EXIF puts it 300 m from the tower, 10 min ago.
        const { metrics } = await pageGql<{ metrics: { name: string }[] }>(
          p,
          `{ metrics { name } }`,
        );
        let metric = metrics[0]?.name;
        if (!metric) {
          metric = "humidity";
          await pageGql(
            p,
            `mutation { createMetric(input: { name: "humidity", unit: "%" }) { id } }`,
          );
        }
        const now = Date.now();
        await pageGql(
          p,
          `mutation($batch: [ReadingInput!]!) { ingestReadings(batch: $batch) { stored } }`,
          {
            batch: Array.from({ length: 20 }, (_, i) => ({
              device: deviceName,
              metric,
              time: new Date(now - (20 - i) * 60_000).toISOString(),
              value: 40 + i,
            })),
          },
        );
        const taken = new Date(now - 10 * 60_000);
        const exifDate = taken.toISOString().slice(0, 19).replace("T", " ").replace(/-/g, ":");
        const dms = (v: number) => {
          const a = Math.abs(v);
          const d = Math.floor(a);
          const m = Math.floor((a - d) * 60);
          const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
          return `${d}/1 ${m}/1 ${s}/1000`;
        };
        const photo = path.join(workDir, `exif-${stamp}.jpg`);
        await sharp({
          create: {
            width: 160,
            height: 120,
            channels: 3,
            background: { r: 30, g: stamp % 255, b: 200 },
          },
        })
          .jpeg()
          .withExif({
            IFD0: { Make: "gridfill e2e" },
            IFD2: { DateTimeOriginal: exifDate, OffsetTimeOriginal: "+00:00" },
            IFD3: {
              GPSLatitudeRef: "S",
              GPSLatitude: dms(lat - 0.0027),
              GPSLongitudeRef: "W",
              GPSLongitude: dms(lon),
            },
          })
          .toFile(photo);

        await p.getByRole("link", { name: "Datasets", exact: true }).click();
        await p.waitForURL(/\/datasets$/);
        await p.getByTestId("create-dataset-button").first().click();
        await p.getByTestId("dataset-name-input").fill(`e2e-exif-${stamp}`);
        await p.getByTestId("dataset-classes-input").fill("nest");
        await p.getByTestId("create-dataset-submit").click();
        await p.waitForURL(/\/datasets\/[^/]+$/);
        await p.getByRole("link", { name: "Images", exact: true }).click();
        await p.waitForURL(/\/images(\?|$)/);
        await p.getByTestId("open-upload").click();
        await p.getByTestId("upload-input").setInputFiles([photo]);
        await p
          .locator('[data-testid="upload-row"][data-state="done"]')
          .waitFor({ timeout: 60_000 });
        await p.getByTestId("upload-close").click();
        await p.locator('[data-testid="image-tile"] a').first().click();
        await p.waitForURL(/\/images\/[^/?]+/);
        // No one linked it: the EXIF capture time and the nearest tower give it its telemetry.
        const row = p.locator(`[data-testid="telemetry-row"][data-device="${deviceName}"]`);
        await row.waitFor();
        assert.match(await row.innerText(), new RegExp(metric));
        // The metadata panel shows where EXIF put it and the tower it was matched to.
        assert.equal(await p.getByTestId("image-tower").innerText(), `${towerName}-b`);
        assert.match(
          await p.getByTestId("image-position").innerText(),
          /^-\d+\.\d{5}, -\d+\.\d{5}$/,
        );
        await p.screenshot({ path: path.join(RESULTS, "image-exif-context.png"), fullPage: true });

        // Delete the device, the tower and the line through the confirmation dialog.
        await p.getByRole("link", { name: "Devices", exact: true }).click();
        await p.waitForURL(/\/devices$/);
        await deviceRow.getByTestId("asset-delete").click();
        await p
          .getByTestId("confirm-dialog")
          .getByText(/and all its readings/)
          .waitFor();
        await p.getByTestId("confirm-button").click();
        await deviceRow.waitFor({ state: "detached" });
        await renamed.getByTestId("asset-delete").click();
        await p.getByTestId("confirm-button").click();
        await renamed.waitFor({ state: "detached" });
        await lineRow.getByTestId("asset-delete").click();
        await p.getByTestId("confirm-button").click();
        await lineRow.waitFor({ state: "detached" });
        await p.screenshot({ path: path.join(RESULTS, "grid-assets.png"), fullPage: true });
        assert.deepEqual(opened.pageErrors, [], "no uncaught errors in the page");
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
);
