// Checks shared by the telemetry services: asset names (a device name is an MQTT topic level),
// finite numbers in range, and unique-name conflicts.
import { badInput } from "../errors.ts";

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";
export const ASSET_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.()-]{0,99}$/u;
// A device name is an MQTT topic level: no separators, wildcards or whitespace.
export const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function checkName(raw: string, what: string, pattern = ASSET_NAME): string {
  const name = raw.trim();
  if (!pattern.test(name)) {
    throw badInput(
      pattern === DEVICE_NAME
        ? `${what} name "${raw}" must be 1–100 letters, digits or _ . - (it is part of the MQTT topic)`
        : `${what} name "${raw}" must be 1–100 letters, digits, spaces or _ . - ( ), starting with a letter or digit`,
    );
  }
  return name;
}

export function checkFinite(value: number, what: string, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max)
    throw badInput(`${what} must be between ${min} and ${max}`);
  return value;
}
