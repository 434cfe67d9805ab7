// Form values → mutation inputs for lines, towers and devices, with the same rules as the API, so a
// mistake is named next to the form before anything is sent (the API checks again).
import type { DeviceInput, DeviceKind, LineInput, TowerInput } from "./iot.graphql";

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ASSET_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.()-]{0,99}$/u;
const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function checkAssetName(raw: string, what: string): Checked<string> {
  const name = raw.trim();
  if (!name) return { ok: false, error: `The ${what} needs a name.` };
  if (!ASSET_NAME.test(name)) {
    return {
      ok: false,
      error: `A ${what} name is 1–100 letters, digits, spaces or _ . - ( ), starting with a letter or digit.`,
    };
  }
  return { ok: true, value: name };
}

export function checkDeviceName(raw: string): Checked<string> {
  const name = raw.trim();
  if (!name) return { ok: false, error: "The device needs a name." };
  if (!DEVICE_NAME.test(name)) {
    return {
      ok: false,
      error:
        "A device name is 1–100 letters, digits or _ . - without spaces: it is part of the MQTT topic gridfill/<device>/telemetry.",
    };
  }
  return { ok: true, value: name };
}

/** A decimal number in [min, max]; accepts a comma as the decimal separator. */
export function checkNumber(raw: string, label: string, min: number, max: number): Checked<number> {
  const text = raw.trim().replace(",", ".");
  const value = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) return { ok: false, error: `${label} must be a number.` };
  if (value < min || value > max) {
    return { ok: false, error: `${label} must be between ${min} and ${max}.` };
  }
  return { ok: true, value };
}

export interface LineFormValues {
  name: string;
  voltageKv: string;
}

export function lineInput(form: LineFormValues): Checked<LineInput> {
  const name = checkAssetName(form.name, "line");
  if (!name.ok) return name;
  const voltageKv = checkNumber(form.voltageKv, "Voltage (kV)", 0.001, 2000);
  if (!voltageKv.ok) return voltageKv;
  return { ok: true, value: { name: name.value, voltageKv: voltageKv.value } };
}

export interface TowerFormValues {
  name: string;
  latitude: string;
  longitude: string;
  /** "" for none. */
  lineId: string;
}

export function towerInput(form: TowerFormValues): Checked<TowerInput> {
  const name = checkAssetName(form.name, "tower");
  if (!name.ok) return name;
  const latitude = checkNumber(form.latitude, "Latitude", -90, 90);
  if (!latitude.ok) return latitude;
  const longitude = checkNumber(form.longitude, "Longitude", -180, 180);
  if (!longitude.ok) return longitude;
  return {
    ok: true,
    value: {
      name: name.value,
      latitude: latitude.value,
      longitude: longitude.value,
      lineId: form.lineId || null,
    },
  };
}

export interface DeviceFormValues {
  name: string;
  kind: DeviceKind;
  /** "" for none. */
  towerId: string;
  /** "" for the tower's line (or none). */
  lineId: string;
}

export function deviceInput(form: DeviceFormValues): Checked<DeviceInput> {
  const name = checkDeviceName(form.name);
  if (!name.ok) return name;
  return {
    ok: true,
    value: {
      name: name.value,
      kind: form.kind,
      towerId: form.towerId || null,
      lineId: form.lineId || null,
    },
  };
}

/** The update for an existing tower: a changed line becomes lineId, a removed one clearLine. */
export function towerUpdate(input: TowerInput): {
  name: string;
  latitude: number;
  longitude: number;
  lineId?: string;
  clearLine?: boolean;
} {
  const { lineId, ...rest } = input;
  return lineId ? { ...rest, lineId } : { ...rest, clearLine: true };
}

/** The update for an existing device: empty tower or line selections detach it. */
export function deviceUpdate(input: DeviceInput): {
  name: string;
  kind: DeviceKind;
  towerId?: string;
  lineId?: string;
  clearTower?: boolean;
  clearLine?: boolean;
} {
  return {
    name: input.name,
    kind: input.kind,
    ...(input.towerId ? { towerId: input.towerId } : { clearTower: true }),
    ...(input.lineId ? { lineId: input.lineId } : { clearLine: true }),
  };
}
