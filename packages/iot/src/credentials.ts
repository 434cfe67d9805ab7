// MQTT identities. A device logs in with its name and a random secret of which only the sha256 is
// stored (high-entropy secrets need no slow hash); the ingester logs in as a reserved user that no
// device may take, so no client can steal its session and the readings queued for it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type pg from "pg";

/** The ingester's MQTT user name and client id; never a device name. */
export const INGESTER_IDENTITY = "gridfill-ingester";

const DEVICE_SECRET_PREFIX = "gfd_";

export interface IssuedSecret {
  /** Shown once, to whoever created the device. */
  secret: string;
  /** What is stored (`Device.credentialHash`). */
  hash: string;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A new device secret: recognisable prefix + 32 random bytes. */
export function newDeviceSecret(): IssuedSecret {
  const secret = DEVICE_SECRET_PREFIX + randomBytes(32).toString("base64url");
  return { secret, hash: hashSecret(secret) };
}

/** A random password for the ingester of an embedded broker (it lives as long as the process). */
export function newIngesterPassword(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(hash: string | null | undefined, secret: string): boolean {
  if (!hash) return false;
  const expected = Buffer.from(hash, "hex");
  const actual = createHash("sha256").update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

type Queryable = Pick<pg.Pool, "query">;

/** Checks a device's name and secret against `Device.credentialHash`. */
export function deviceCredentialCheck(
  pool: Queryable,
): (device: string, secret: string) => Promise<boolean> {
  return async (device, secret) => {
    const { rows } = await pool.query<{ credentialHash: string | null }>(
      `SELECT "credentialHash" FROM "Device" WHERE name = $1`,
      [device],
    );
    return secretMatches(rows[0]?.credentialHash, secret);
  };
}
