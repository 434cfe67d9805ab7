// What every domain service receives: the process-wide dependencies and who is acting.
import type { Config } from "@gridfill/config";
import type { Pool, PrismaClient } from "@gridfill/db";
import type { Storage } from "@gridfill/storage";
import type { Logger } from "./log.ts";
import type { JobQueue } from "./jobs/queues.ts";

export type Role = "VIEWER" | "CURATOR" | "ADMIN";

/** The signed-in user behind a request. */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** How the caller proved who they are; a session can be ended by logout. */
  via: { kind: "session"; sessionId: string } | { kind: "apiToken"; tokenId: string };
}

/** Dependencies the services take as arguments. */
export interface Deps {
  config: Config;
  prisma: PrismaClient;
  /** Raw SQL for hot read paths (keyset pages); may be absent in in-process callers. */
  pool?: Pool;
  storage: Storage;
  log: Logger;
  /** Enqueues background jobs; absent where no job queue was opened. */
  jobs?: JobQueue;
}

/** Who an audit event names; null for system actions (seeding, CLI). */
export type Actor = { id: string; email: string } | null;

export function actorOf(caller: Caller | null): Actor {
  return caller ? { id: caller.id, email: caller.email } : null;
}

const RANK: Record<Role, number> = { VIEWER: 1, CURATOR: 2, ADMIN: 3 };

export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
