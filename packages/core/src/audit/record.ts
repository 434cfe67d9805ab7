// Every mutation writes one AuditEvent in the same transaction as its change, so the log can never
// claim a change that was rolled back, nor miss one that was committed.
import type { Prisma } from "@gridfill/db";
import type { Actor } from "../context.ts";

export type Tx = Prisma.TransactionClient;

export interface AuditEntry {
  actor: Actor;
  /** `<domain>.<verb>`, e.g. `image.confirmUpload`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  datasetId?: string | null;
  details?: Prisma.InputJsonValue;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      datasetId: entry.datasetId ?? null,
      ...(entry.details === undefined ? {} : { details: entry.details }),
    },
  });
}
