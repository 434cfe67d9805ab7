import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkNumber,
  deviceInput,
  deviceUpdate,
  lineInput,
  towerInput,
  towerUpdate,
} from "./assetForms";

test("line forms: name and voltage are checked as the API does", () => {
  assert.deepEqual(lineInput({ name: "  Line A 110 kV ", voltageKv: "110" }), {
    ok: true,
    value: { name: "Line A 110 kV", voltageKv: 110 },
  });
  assert.deepEqual(lineInput({ name: "", voltageKv: "110" }), {
    ok: false,
    error: "The line needs a name.",
  });
  const bad = lineInput({ name: "-dash first", voltageKv: "110" });
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : "", /starting with a letter or digit/);
  assert.deepEqual(lineInput({ name: "L", voltageKv: "0" }), {
    ok: false,
    error: "Voltage (kV) must be between 0.001 and 2000.",
  });
  assert.deepEqual(lineInput({ name: "L", voltageKv: "high" }), {
    ok: false,
    error: "Voltage (kV) must be a number.",
  });
});

test("numbers: a comma works as the decimal separator, blanks are not zero", () => {
  assert.deepEqual(checkNumber("30,52", "Latitude", -90, 90), { ok: true, value: 30.52 });
  assert.deepEqual(checkNumber(" ", "Latitude", -90, 90), {
    ok: false,
    error: "Latitude must be a number.",
  });
  assert.deepEqual(checkNumber("-90", "Latitude", -90, 90), { ok: true, value: -90 });
});

test("tower forms: coordinates in range, no line is null, and an update clears a removed line", () => {
  const ok = towerInput({ name: "T1", latitude: "30.5", longitude: "-114.3", lineId: "" });
  assert.deepEqual(ok, {
    ok: true,
    value: { name: "T1", latitude: 30.5, longitude: -114.3, lineId: null },
  });
  assert.deepEqual(towerInput({ name: "T1", latitude: "91", longitude: "0", lineId: "" }), {
    ok: false,
    error: "Latitude must be between -90 and 90.",
  });
  assert.deepEqual(towerInput({ name: "T1", latitude: "0", longitude: "180.5", lineId: "" }), {
    ok: false,
    error: "Longitude must be between -180 and 180.",
  });
  assert.deepEqual(towerUpdate({ name: "T", latitude: 1, longitude: 2, lineId: null }), {
    name: "T",
    latitude: 1,
    longitude: 2,
    clearLine: true,
  });
  assert.deepEqual(towerUpdate({ name: "T", latitude: 1, longitude: 2, lineId: "l" }), {
    name: "T",
    latitude: 1,
    longitude: 2,
    lineId: "l",
  });
});

test("device forms: the name is an MQTT topic level; empty selections detach on update", () => {
  const bad = deviceInput({ name: "tower 1/sensor", kind: "SENSOR", towerId: "", lineId: "" });
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : "", /MQTT topic/);
  const ok = deviceInput({ name: "t1-sensor", kind: "CAMERA", towerId: "t", lineId: "" });
  assert.deepEqual(ok, {
    ok: true,
    value: { name: "t1-sensor", kind: "CAMERA", towerId: "t", lineId: null },
  });
  assert.deepEqual(deviceUpdate(ok.ok ? ok.value : ({} as never)), {
    name: "t1-sensor",
    kind: "CAMERA",
    towerId: "t",
    clearLine: true,
  });
});
