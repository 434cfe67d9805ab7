// deploy/mosquitto.conf and deploy/mosquitto.acl as Mosquitto runs them (a private mosquitto on a
// free port, with a password file made by mosquitto_passwd): the same rules as the embedded broker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import { createTestDatabase } from "@gridfill/db";
import { startIngester } from "./ingester.ts";
import { credentialedDemoDevices, seedDemoAssets } from "./simulator.ts";
import { telemetryTopic } from "./payload.ts";
import { INGESTER_IDENTITY, newIngesterPassword } from "./credentials.ts";
import { waitFor } from "./fixtures.ts";

const MOSQUITTO = "/usr/sbin/mosquitto";
const skip = existsSync(MOSQUITTO)
  ? false
  : `${MOSQUITTO} is not installed (apt-get install mosquitto)`;
const deploy = new URL("../../../deploy/", import.meta.url);

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

test(
  "Mosquitto with the deploy config refuses strangers and keeps devices to their own topic",
  { skip, timeout: 60_000 },
  async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gridfill-mosquitto-"));
    const db = await createTestDatabase();
    const port = await freePort();
    const ingesterPassword = newIngesterPassword();
    const conf = (await readFile(new URL("mosquitto.conf", deploy), "utf8"))
      .replace("listener 1883", `listener ${port} 127.0.0.1`)
      .replace("/mosquitto/auth/passwd", path.join(dir, "passwd"))
      .replace("/mosquitto/config/mosquitto.acl", new URL("mosquitto.acl", deploy).pathname)
      .replace(/^persistence.*$/gm, "");
    // Started as root, mosquitto would drop to its own user, which cannot read this private folder.
    const asUser = process.getuid?.() === 0 ? "user root\n" : "";
    await writeFile(path.join(dir, "mosquitto.conf"), conf + asUser);
    await seedDemoAssets(db.prisma);
    const [sensor1, sensor2] = await credentialedDemoDevices(db.prisma);
    // Device onboarding as the README describes it: one mosquitto_passwd line per device.
    execFileSync("mosquitto_passwd", [
      "-c",
      "-b",
      path.join(dir, "passwd"),
      INGESTER_IDENTITY,
      ingesterPassword,
    ]);
    for (const device of [sensor1!, sensor2!])
      execFileSync("mosquitto_passwd", [
        "-b",
        path.join(dir, "passwd"),
        device.name,
        device.secret!,
      ]);
    const broker = spawn(MOSQUITTO, ["-c", path.join(dir, "mosquitto.conf")], { stdio: "ignore" });
    const url = `mqtt://127.0.0.1:${port}`;
    const connect = (options: mqtt.IClientOptions) =>
      mqtt.connectAsync(url, {
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        ...options,
      });
    try {
      await waitFor("mosquitto to listen", async () => {
        const socket = net.connect(port, "127.0.0.1");
        return new Promise<boolean>((resolve) => {
          socket.once("connect", () => resolve(true)).once("error", () => resolve(false));
        }).finally(() => socket.destroy());
      });
      await assert.rejects(
        connect({ clientId: "anonymous" }),
        /Not authorized|Bad User Name or Password/i,
      );
      await assert.rejects(
        connect({ clientId: INGESTER_IDENTITY, username: INGESTER_IDENTITY, password: "guessed" }),
      );
      const ingester = await startIngester({
        mqttUrl: url,
        pool: db.pool,
        clientId: INGESTER_IDENTITY,
        username: INGESTER_IDENTITY,
        password: ingesterPassword,
        // Rows stay in the default partition: moving them into a new monthly partition while the
        // test counts them is a race of its own (partitions.ts), not what is tested here.
        maintainPartitions: false,
      });
      const device = await connect({
        clientId: INGESTER_IDENTITY,
        username: sensor1!.name,
        password: sensor1!.secret!,
      });
      try {
        // A device cannot read telemetry; one publish to another device's topic goes nowhere.
        // Mosquitto may grant a subscription the ACL denies; nothing is delivered on it.
        let overheard = 0;
        device.on("message", () => overheard++);
        await device.subscribeAsync("#", { qos: 1 });
        const body = (value: number) =>
          JSON.stringify({
            readings: [{ metric: "humidity", unit: "%", value, time: Date.now() - 1000 }],
          });
        await device
          .publishAsync(telemetryTopic(sensor2!.name), body(1), { qos: 1 })
          .catch(() => {});
        await device.publishAsync(telemetryTopic(sensor1!.name), body(2), { qos: 1 });
        await waitFor(
          "the device's own reading",
          async () => (await db.pool.query(`SELECT 1 FROM "Reading"`)).rowCount === 1,
        );
        await ingester.stop();
        const { rows } = await db.pool.query<{ name: string; value: number }>(
          `SELECT d.name, r.value FROM "Reading" r JOIN "Device" d ON d.id = r."deviceId"`,
        );
        assert.deepEqual(rows, [{ name: sensor1!.name, value: 2 }]);
        assert.equal(overheard, 0, "a device reads no telemetry");
      } finally {
        await device.endAsync(true);
        await ingester.stop();
      }
    } finally {
      broker.kill("SIGTERM");
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
