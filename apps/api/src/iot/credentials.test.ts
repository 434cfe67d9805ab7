// Device MQTT secrets through the API: shown once by createDevice and issueDeviceCredential, stored
// only as a hash, never readable afterwards; reserved names and bad metric ranges are refused.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { secretMatches } from "@gridfill/iot";
import { startTestApi, errorCode, type TestApi } from "../testing/harness.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(() => t.close());

type DeviceAnswer = { id: string; hasCredential: boolean; mqttSecret: string | null };

async function ok<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await t.gql<T>(query, variables, t.users.CURATOR);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data!;
}

test("a device's MQTT secret is shown once, stored hashed, and can be replaced", async () => {
  const { createDevice } = await ok<{ createDevice: DeviceAnswer }>(
    `mutation { createDevice(input: { name: "secret-sensor", kind: SENSOR }) { id hasCredential mqttSecret } }`,
  );
  assert.match(createDevice.mqttSecret ?? "", /^gfd_[A-Za-z0-9_-]{43}$/);
  assert.equal(createDevice.hasCredential, true);
  const stored = await t.db.prisma.device.findUniqueOrThrow({ where: { id: createDevice.id } });
  assert.notEqual(stored.credentialHash, createDevice.mqttSecret);
  assert.ok(secretMatches(stored.credentialHash, createDevice.mqttSecret!));

  const { device } = await ok<{ device: DeviceAnswer }>(
    `query($id: ID!) { device(id: $id) { id hasCredential mqttSecret } }`,
    { id: createDevice.id },
  );
  assert.equal(device.mqttSecret, null, "the secret cannot be read back");

  const { issueDeviceCredential } = await ok<{ issueDeviceCredential: DeviceAnswer }>(
    `mutation($id: ID!) { issueDeviceCredential(id: $id) { id mqttSecret } }`,
    { id: createDevice.id },
  );
  const rotated = await t.db.prisma.device.findUniqueOrThrow({ where: { id: createDevice.id } });
  assert.ok(secretMatches(rotated.credentialHash, issueDeviceCredential.mqttSecret!));
  assert.ok(
    !secretMatches(rotated.credentialHash, createDevice.mqttSecret!),
    "the old one is void",
  );
});

test("the ingester's identity is no device name, and a metric's range must be ordered", async () => {
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createDevice(input: { name: "gridfill-ingester", kind: SENSOR }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "BAD_USER_INPUT",
  );
  assert.equal(
    errorCode(
      await t.gql(
        `mutation { createMetric(input: { name: "wind_speed", unit: "m/s", minValue: 60, maxValue: 0 }) { id } }`,
        {},
        t.users.CURATOR,
      ),
    ),
    "BAD_USER_INPUT",
  );
  const { createMetric } = await ok<{ createMetric: { minValue: number; maxValue: number } }>(
    `mutation { createMetric(input: { name: "wind_speed", unit: "m/s", minValue: 0, maxValue: 60 }) { minValue maxValue } }`,
  );
  assert.deepEqual(createMetric, { minValue: 0, maxValue: 60 });
  assert.equal(await t.db.prisma.device.count({ where: { name: "gridfill-ingester" } }), 0);
});
