// Reading the audit log: newest first, keyset-paginated on the event id.
import type { AuditEvent, PrismaClient } from "@gridfill/db";
import { requireUuid } from "../errors.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";

export async function listAuditEvents(
  prisma: PrismaClient,
  options: { datasetId?: string | null; first: number; after?: string | null },
): Promise<Connection<AuditEvent>> {
  const cursor = decodeCursor(options.after, (key) => /^\d{1,19}$/.test(key));
  const rows = await prisma.auditEvent.findMany({
    where: {
      ...(options.datasetId ? { datasetId: requireUuid(options.datasetId, "dataset") } : {}),
      ...(cursor ? { id: { lt: BigInt(cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: options.first + 1,
  });
  return toConnection(rows, options.first, (e) => e.id.toString());
}
