// Users, sessions and API tokens. Plain functions over Prisma, shared by the API and the CLI.
import type { PrismaClient, User } from "@gridfill/db";
import { z } from "zod";
import type { Actor, Caller, Role } from "../context.ts";
import { actorOf, hasRole } from "../context.ts";
import { DomainError, badInput, conflict, forbidden, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { isDb, sqlOf, type Db } from "../db.ts";
import {
  API_TOKEN_PREFIX,
  MIN_PASSWORD_LENGTH,
  burnPasswordCheck,
  hashPassword,
  newApiToken,
  newSessionToken,
  passwordWeakness,
  sha256Hex,
  verifyPassword,
} from "./credentials.ts";
import type { LoginLimiter } from "./login-limiter.ts";

export const SESSION_COOKIE = "gridfill_session";
/** Refreshing lastSeenAt on every request would turn each read into a write. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;
const INVALID_LOGIN = "invalid email or password";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "createdAt">;

const emailSchema = z.email().max(254);

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role?: Role;
}

/** Creates a user; CONFLICT when the email is taken. `actor` is null for the CLI. */
export async function createUser(
  prisma: PrismaClient,
  input: CreateUserInput,
  actor: Actor,
): Promise<User> {
  const email = normaliseEmail(input.email);
  if (!emailSchema.safeParse(email).success)
    throw badInput(`not a valid email address: ${input.email}`);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw badInput(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const name = input.name.trim() || email;
  const weakness = await passwordWeakness(input.password, [email, email.split("@")[0]!, name]);
  if (weakness) throw badInput(`the password is too easy to guess: ${weakness}`);
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name, passwordHash, role: input.role ?? "VIEWER" },
      });
      await recordAudit(tx, {
        actor,
        action: "user.create",
        entityType: "User",
        entityId: user.id,
        details: { email, role: user.role },
      });
      return user;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw conflict(`a user with email ${email} already exists`);
    throw error;
  }
}

/**
 * Makes sure an administrator with this email exists: creates it when missing, and changes nothing
 * when the email is already registered (whatever its password or role).
 */
export async function ensureAdmin(
  prisma: PrismaClient,
  email: string,
  password: string,
  name?: string,
): Promise<{ user: User; created: boolean }> {
  const existing = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
  if (existing) return { user: existing, created: false };
  try {
    const user = await createUser(
      prisma,
      { email, name: name ?? "Administrator", password, role: "ADMIN" },
      null,
    );
    return { user, created: true };
  } catch (error) {
    // Another process created it first.
    if (error instanceof DomainError && error.code === "CONFLICT") {
      const user = await prisma.user.findUniqueOrThrow({ where: { email: normaliseEmail(email) } });
      return { user, created: false };
    }
    throw error;
  }
}

export interface LoginResult {
  user: User;
  token: string;
  expiresAt: Date;
}

/** Checks the password and opens a session. Unknown email and wrong password read the same. */
export async function login(
  prisma: PrismaClient,
  input: { email: string; password: string; sessionTtlHours: number; clientAddress?: string },
  limiter?: LoginLimiter,
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const attempt = { email, address: input.clientAddress };
  await limiter?.admit(attempt);
  const user = await prisma.user.findUnique({ where: { email } });
  let valid = false;
  if (user && !user.disabledAt) valid = await verifyPassword(user.passwordHash, input.password);
  else await burnPasswordCheck(input.password);
  if (!user || !valid) throw new DomainError("UNAUTHENTICATED", INVALID_LOGIN);
  await limiter?.succeed(attempt);

  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + input.sessionTtlHours * 3600_000);
  await prisma.$transaction(async (tx) => {
    const session = await tx.session.create({
      data: { userId: user.id, tokenHash: sha256Hex(token), expiresAt },
    });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "auth.login",
      entityType: "Session",
      entityId: session.id,
    });
  });
  return { user, token, expiresAt };
}

/** Ends the caller's session; false when the caller did not come with one. */
export async function logout(prisma: PrismaClient, caller: Caller | null): Promise<boolean> {
  if (!caller || caller.via.kind !== "session") return false;
  const sessionId = caller.via.sessionId;
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: sessionId } });
    if (count) {
      await recordAudit(tx, {
        actor: actorOf(caller),
        action: "auth.logout",
        entityType: "Session",
        entityId: sessionId,
      });
    }
    return count > 0;
  });
}

interface CredentialRow {
  credentialId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsed: Date | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
}

/**
 * Who is calling: a bearer token (API token `gf_…`, or a session token for scripts that logged in)
 * wins over the session cookie. Expired, revoked or unknown credentials give null. One indexed
 * query per request (plus a rare lastSeen/lastUsed refresh).
 */
export async function resolveCaller(
  db: Db | PrismaClient,
  credentials: { bearer?: string | undefined; sessionCookie?: string | undefined },
  now = new Date(),
): Promise<Caller | null> {
  const token = credentials.bearer ?? credentials.sessionCookie;
  if (!token || token.length > 200) return null;
  const tokenHash = sha256Hex(token);
  const sql = sqlOf(db);
  const isApiToken = token.startsWith(API_TOKEN_PREFIX);
  const [row] = isApiToken
    ? await sql<CredentialRow>(
        `SELECT t.id::text AS "credentialId", t."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", t."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt",
                t."lastUsedAt" AT TIME ZONE 'UTC' AS "lastUsed", u.id::text AS "userId", u.email, u.name, u.role::text AS role,
                u."disabledAt" AT TIME ZONE 'UTC' AS "disabledAt"
         FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE t."tokenHash" = $1`,
        [tokenHash],
      )
    : await sql<CredentialRow>(
        `SELECT s.id::text AS "credentialId", s."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", NULL::timestamptz AS "revokedAt",
                s."lastSeenAt" AT TIME ZONE 'UTC' AS "lastUsed", u.id::text AS "userId", u.email, u.name, u.role::text AS role,
                u."disabledAt" AT TIME ZONE 'UTC' AS "disabledAt"
         FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s."tokenHash" = $1`,
        [tokenHash],
      );
  if (!row || row.revokedAt || row.disabledAt || (row.expiresAt && new Date(row.expiresAt) <= now))
    return null;
  if (!row.lastUsed || now.getTime() - new Date(row.lastUsed).getTime() > LAST_SEEN_RESOLUTION_MS) {
    const prisma = isDb(db) ? db.prisma : db;
    if (isApiToken)
      await prisma.apiToken.updateMany({
        where: { id: row.credentialId },
        data: { lastUsedAt: now },
      });
    else
      await prisma.session.updateMany({
        where: { id: row.credentialId },
        data: { lastSeenAt: now },
      });
  }
  return {
    id: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    via: isApiToken
      ? { kind: "apiToken", tokenId: row.credentialId }
      : { kind: "session", sessionId: row.credentialId },
  };
}

export async function createApiToken(
  prisma: PrismaClient,
  caller: Caller,
  input: { name: string; expiresInDays?: number | null },
) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw badInput("a token needs a name of 1 to 100 characters");
  const days = input.expiresInDays;
  if (days != null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw badInput("expiresInDays must be a whole number of days between 1 and 3650");
  }
  const { token, prefix, tokenHash } = newApiToken();
  const expiresAt = days != null ? new Date(Date.now() + days * 86_400_000) : null;
  const apiToken = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { userId: caller.id, name, prefix, tokenHash, expiresAt },
    });
    await recordAudit(tx, {
      actor: actorOf(caller),
      action: "apiToken.create",
      entityType: "ApiToken",
      entityId: created.id,
      details: { name, prefix },
    });
    return created;
  });
  return { apiToken, token };
}

/** Revokes one of the caller's tokens (administrators may revoke anyone's). */
export async function revokeApiToken(prisma: PrismaClient, caller: Caller, id: string) {
  const tokenId = requireUuid(id, "API token");
  return prisma.$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id: tokenId } });
    if (!token || (token.userId !== caller.id && !hasRole(caller.role, "ADMIN")))
      throw notFound("API token", id);
    const revoked = token.revokedAt
      ? token
      : await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      actor: actorOf(caller),
      action: "apiToken.revoke",
      entityType: "ApiToken",
      entityId: tokenId,
    });
    return revoked;
  });
}

export function listApiTokens(prisma: PrismaClient, caller: Caller) {
  return prisma.apiToken.findMany({ where: { userId: caller.id }, orderBy: { createdAt: "desc" } });
}

export function listUsers(prisma: PrismaClient) {
  return prisma.user.findMany({ orderBy: { email: "asc" } });
}

/** Changes a user's role; the last administrator cannot be demoted (nobody could undo it). */
export async function setUserRole(
  prisma: PrismaClient,
  caller: Caller,
  userId: string,
  role: Role,
) {
  const id = requireUuid(userId, "user");
  return prisma.$transaction(
    async (tx) => {
      const user = await tx.user.findUnique({ where: { id } });
      if (!user) throw notFound("user", userId);
      if (user.role === "ADMIN" && role !== "ADMIN") {
        const admins = await tx.user.count({ where: { role: "ADMIN", disabledAt: null } });
        if (admins <= 1) throw conflict("the last administrator cannot be demoted");
      }
      if (user.id === caller.id && role !== "ADMIN")
        throw forbidden("administrators cannot demote themselves");
      const updated = await tx.user.update({ where: { id }, data: { role } });
      await recordAudit(tx, {
        actor: actorOf(caller),
        action: "user.setRole",
        entityType: "User",
        entityId: id,
        details: { from: user.role, to: role },
      });
      return updated;
    },
    { isolationLevel: "Serializable" },
  );
}
