// The grid's asset hierarchy: lines (voltage level) → towers → devices, each change audited in
// the transaction that makes it.
import { Prisma } from "@gridfill/db";
import type { Device, PowerLine, PrismaClient, Tower } from "@gridfill/db";
import type { Actor } from "../context.ts";
import { badInput, conflict, isUuid, notFound, requireUuid } from "../errors.ts";
import { recordAudit } from "../audit/record.ts";
import { decodeCursor, toConnection, type Connection } from "../pagination.ts";
import { INGESTER_IDENTITY, newDeviceSecret } from "@gridfill/iot";
import { DEVICE_NAME, checkFinite, checkName, isUniqueViolation } from "./checks.ts";

export const listLines = (prisma: PrismaClient) =>
  prisma.powerLine.findMany({ orderBy: { name: "asc" } });

export function listTowers(prisma: PrismaClient, lineId?: string | null): Promise<Tower[]> {
  if (lineId && !isUuid(lineId)) return Promise.resolve([]);
  return prisma.tower.findMany({
    where: lineId ? { lineId: lineId.toLowerCase() } : {},
    orderBy: { name: "asc" },
  });
}

export async function listDevices(
  prisma: PrismaClient,
  first: number,
  after?: string | null,
  towerId?: string | null,
): Promise<Connection<Device>> {
  const cursor = decodeCursor(after, isUuid);
  if (towerId && !isUuid(towerId)) return toConnection([], first, (d: Device) => d.id);
  const rows = await prisma.device.findMany({
    where: {
      ...(cursor ? { id: { gt: cursor } } : {}),
      ...(towerId ? { towerId: towerId.toLowerCase() } : {}),
    },
    orderBy: { id: "asc" },
    take: first + 1,
  });
  return toConnection(rows, first, (d) => d.id);
}

export async function findDevice(prisma: PrismaClient, id: string): Promise<Device | null> {
  return isUuid(id) ? prisma.device.findUnique({ where: { id: id.toLowerCase() } }) : null;
}

export async function createLine(
  prisma: PrismaClient,
  actor: Actor,
  input: { name: string; voltageKv: number },
): Promise<PowerLine> {
  const name = checkName(input.name, "line");
  const voltageKv = checkFinite(input.voltageKv, "voltageKv", 0.001, 2000);
  try {
    return await prisma.$transaction(async (tx) => {
      const line = await tx.powerLine.create({ data: { name, voltageKv } });
      await recordAudit(tx, {
        actor,
        action: "line.create",
        entityType: "PowerLine",
        entityId: line.id,
        details: { name, voltageKv },
      });
      return line;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a line named "${name}" already exists`);
    throw error;
  }
}

async function requireLine(tx: Prisma.TransactionClient, id: string): Promise<string> {
  const lineId = requireUuid(id, "line");
  if (!(await tx.powerLine.findUnique({ where: { id: lineId }, select: { id: true } })))
    throw notFound("line", id);
  return lineId;
}

export async function requireTower(tx: Prisma.TransactionClient, id: string): Promise<Tower> {
  const tower = await tx.tower.findUnique({ where: { id: requireUuid(id, "tower") } });
  if (!tower) throw notFound("tower", id);
  return tower;
}

export async function createTower(
  prisma: PrismaClient,
  actor: Actor,
  input: { name: string; latitude: number; longitude: number; lineId?: string | null },
): Promise<Tower> {
  const name = checkName(input.name, "tower");
  const latitude = checkFinite(input.latitude, "latitude", -90, 90);
  const longitude = checkFinite(input.longitude, "longitude", -180, 180);
  try {
    return await prisma.$transaction(async (tx) => {
      const lineId = input.lineId ? await requireLine(tx, input.lineId) : null;
      const tower = await tx.tower.create({ data: { name, latitude, longitude, lineId } });
      await recordAudit(tx, {
        actor,
        action: "tower.create",
        entityType: "Tower",
        entityId: tower.id,
        details: { name, latitude, longitude, lineId },
      });
      return tower;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a tower named "${name}" already exists`);
    throw error;
  }
}

export async function updateLine(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: { name?: string | null; voltageKv?: number | null },
): Promise<PowerLine> {
  const lineId = requireUuid(id, "line");
  const data: Prisma.PowerLineUpdateInput = {};
  if (input.name != null) data.name = checkName(input.name, "line");
  if (input.voltageKv != null)
    data.voltageKv = checkFinite(input.voltageKv, "voltageKv", 0.001, 2000);
  try {
    return await prisma.$transaction(async (tx) => {
      await requireLine(tx, lineId);
      const line = await tx.powerLine.update({ where: { id: lineId }, data });
      await recordAudit(tx, {
        actor,
        action: "line.update",
        entityType: "PowerLine",
        entityId: lineId,
        details: data as Prisma.InputJsonValue,
      });
      return line;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`a line named "${String(data.name)}" already exists`);
    throw error;
  }
}

/** Towers and devices on the line stay, detached from it (the foreign keys set null). */
export async function deleteLine(prisma: PrismaClient, actor: Actor, id: string): Promise<boolean> {
  const lineId = requireUuid(id, "line");
  return prisma.$transaction(async (tx) => {
    const line = await tx.powerLine.findUnique({ where: { id: lineId } });
    if (!line) throw notFound("line", id);
    await tx.powerLine.delete({ where: { id: lineId } });
    await recordAudit(tx, {
      actor,
      action: "line.delete",
      entityType: "PowerLine",
      entityId: lineId,
      details: { name: line.name },
    });
    return true;
  });
}

export async function updateTower(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: {
    name?: string | null;
    latitude?: number | null;
    longitude?: number | null;
    lineId?: string | null;
    clearLine?: boolean | null;
  },
): Promise<Tower> {
  const towerId = requireUuid(id, "tower");
  if (input.clearLine && input.lineId) throw badInput("give lineId or clearLine, not both");
  const data: Prisma.TowerUncheckedUpdateInput = {};
  if (input.name != null) data.name = checkName(input.name, "tower");
  if (input.latitude != null) data.latitude = checkFinite(input.latitude, "latitude", -90, 90);
  if (input.longitude != null)
    data.longitude = checkFinite(input.longitude, "longitude", -180, 180);
  try {
    return await prisma.$transaction(async (tx) => {
      await requireTower(tx, towerId);
      if (input.lineId) data.lineId = await requireLine(tx, input.lineId);
      if (input.clearLine) data.lineId = null;
      const tower = await tx.tower.update({ where: { id: towerId }, data });
      await recordAudit(tx, {
        actor,
        action: "tower.update",
        entityType: "Tower",
        entityId: towerId,
        details: data as Prisma.InputJsonValue,
      });
      return tower;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`a tower named "${String(data.name)}" already exists`);
    throw error;
  }
}

/** Devices and images on the tower stay, detached from it (the foreign keys set null). */
export async function deleteTower(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<boolean> {
  const towerId = requireUuid(id, "tower");
  return prisma.$transaction(async (tx) => {
    const tower = await tx.tower.findUnique({ where: { id: towerId } });
    if (!tower) throw notFound("tower", id);
    await tx.tower.delete({ where: { id: towerId } });
    await recordAudit(tx, {
      actor,
      action: "tower.delete",
      entityType: "Tower",
      entityId: towerId,
      details: { name: tower.name },
    });
    return true;
  });
}

export interface DeviceInput {
  name?: string | null;
  kind?: Device["kind"] | null;
  towerId?: string | null;
  lineId?: string | null;
  clearTower?: boolean | null;
  clearLine?: boolean | null;
  metadata?: unknown;
}

/** A device as returned right after its MQTT secret was issued: the only time the secret is seen. */
export type DeviceWithSecret = Device & { mqttSecret: string };

function checkDeviceName(raw: string): string {
  const name = checkName(raw, "device", DEVICE_NAME);
  // The ingester's broker identity: a device of that name could take over its session.
  if (name.toLowerCase().startsWith(INGESTER_IDENTITY))
    throw badInput(
      `device names starting with "${INGESTER_IDENTITY}" are reserved for the ingester`,
    );
  return name;
}

export async function createDevice(
  prisma: PrismaClient,
  actor: Actor,
  input: DeviceInput & { name: string; kind: Device["kind"] },
): Promise<DeviceWithSecret> {
  const name = checkDeviceName(input.name);
  const credential = newDeviceSecret();
  try {
    return await prisma.$transaction(async (tx) => {
      const tower = input.towerId ? await requireTower(tx, input.towerId) : null;
      // A device on a tower of a line is on that line unless told otherwise.
      const lineId = input.lineId ? await requireLine(tx, input.lineId) : (tower?.lineId ?? null);
      const device = await tx.device.create({
        data: {
          name,
          kind: input.kind,
          towerId: tower?.id ?? null,
          lineId,
          credentialHash: credential.hash,
          ...(input.metadata != null ? { metadata: input.metadata as Prisma.InputJsonValue } : {}),
        },
      });
      await recordAudit(tx, {
        actor,
        action: "device.create",
        entityType: "Device",
        entityId: device.id,
        details: { name, kind: input.kind, towerId: device.towerId, lineId },
      });
      return { ...device, mqttSecret: credential.secret };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a device named "${name}" already exists`);
    throw error;
  }
}

/** Replaces a device's MQTT secret; the old one is refused from the device's next login. */
export async function issueDeviceCredential(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<DeviceWithSecret> {
  const deviceId = requireUuid(id, "device");
  const credential = newDeviceSecret();
  return prisma.$transaction(async (tx) => {
    if (!(await tx.device.findUnique({ where: { id: deviceId }, select: { id: true } })))
      throw notFound("device", id);
    const device = await tx.device.update({
      where: { id: deviceId },
      data: { credentialHash: credential.hash },
    });
    await recordAudit(tx, {
      actor,
      action: "device.issueCredential",
      entityType: "Device",
      entityId: deviceId,
      details: { name: device.name },
    });
    return { ...device, mqttSecret: credential.secret };
  });
}

export async function updateDevice(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  input: DeviceInput,
): Promise<Device> {
  const deviceId = requireUuid(id, "device");
  if (input.clearTower && input.towerId) throw badInput("give towerId or clearTower, not both");
  if (input.clearLine && input.lineId) throw badInput("give lineId or clearLine, not both");
  const name = input.name != null ? checkDeviceName(input.name) : undefined;
  try {
    return await prisma.$transaction(async (tx) => {
      if (!(await tx.device.findUnique({ where: { id: deviceId }, select: { id: true } })))
        throw notFound("device", id);
      const data: Prisma.DeviceUncheckedUpdateInput = {};
      if (name !== undefined) data.name = name;
      if (input.kind != null) data.kind = input.kind;
      if (input.towerId) data.towerId = (await requireTower(tx, input.towerId)).id;
      if (input.clearTower) data.towerId = null;
      if (input.lineId) data.lineId = await requireLine(tx, input.lineId);
      if (input.clearLine) data.lineId = null;
      if (input.metadata !== undefined)
        data.metadata =
          input.metadata === null ? Prisma.DbNull : (input.metadata as Prisma.InputJsonValue);
      const device = await tx.device.update({ where: { id: deviceId }, data });
      await recordAudit(tx, {
        actor,
        action: "device.update",
        entityType: "Device",
        entityId: deviceId,
        details: JSON.parse(
          JSON.stringify({ ...input, metadata: undefined }),
        ) as Prisma.InputJsonValue,
      });
      return device;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a device named "${name}" already exists`);
    throw error;
  }
}

export async function deleteDevice(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
): Promise<boolean> {
  const deviceId = requireUuid(id, "device");
  return prisma.$transaction(async (tx) => {
    const device = await tx.device.findUnique({ where: { id: deviceId } });
    if (!device) throw notFound("device", id);
    // "Reading" has no foreign keys (ingest speed), so its readings go explicitly; images keep
    // their rows (deviceId set null).
    await tx.$executeRaw`DELETE FROM "Reading" WHERE "deviceId" = ${deviceId}::uuid`;
    await tx.device.delete({ where: { id: deviceId } });
    await recordAudit(tx, {
      actor,
      action: "device.delete",
      entityType: "Device",
      entityId: deviceId,
      details: { name: device.name },
    });
    return true;
  });
}
