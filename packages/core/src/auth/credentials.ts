// Secrets: argon2id password hashes, a password strength rule, and random tokens of which only
// the sha256 is stored.
import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/** argon2id with the library defaults (19 MiB, 2 passes: the OWASP baseline). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same work as a real check, so an unknown email takes as long as a wrong password. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(await dummyHash, password);
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export const API_TOKEN_PREFIX = "gf_";

/** A console session token (sent as the cookie, or as a bearer token by scripts that logged in). */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** An API token: recognisable prefix + 32 random bytes. */
export function newApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return {
    token,
    prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
    tokenHash: sha256Hex(token),
  };
}

// Same rule as GRIDFILL_ADMIN_PASSWORD and `gridfill admin create`.
export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's "safely unguessable" (about 10^10 guesses): below it, an offline guesser wins. */
const MIN_PASSWORD_SCORE = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

/** zxcvbn-ts with its common-password, name and English word lists: loaded on first use (~0.5 s). */
function passwordEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary, gridfill: ["gridfill"] },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    });
  })();
  return estimator;
}

/**
 * Why a password is too easy to guess (common, repetitive, a sequence, a keyboard walk, or made
 * of the user's own email or name), or undefined when it is strong enough.
 */
export async function passwordWeakness(
  password: string,
  userInputs: string[] = [],
): Promise<string | undefined> {
  const zxcvbn = await passwordEstimator();
  const result = await zxcvbn.checkAsync(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  return (
    result.feedback.warning ??
    result.feedback.suggestions[0] ??
    "it resembles passwords attackers try first"
  );
}
