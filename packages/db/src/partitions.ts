// Monthly partitions of the Reading table (see the readings_partitioning migration). The
// application creates them ahead of time; rows for a month without one land in Reading_default.
import type pg from "pg";

/** Serialises partition maintenance across processes. */
const PARTITION_LOCK_KEY = 4_729_117_312;

/** `Reading_y2026m03` for March 2026 (months in UTC). */
export function readingPartitionName(year: number, month: number): string {
  return `Reading_y${year}m${String(month).padStart(2, "0")}`;
}

function monthStart(year: number, monthIndex: number): Date {
  return new Date(Date.UTC(year, monthIndex, 1));
}

type Queryable = Pick<pg.Pool, "connect">;

/**
 * Makes sure monthly partitions exist for `months` months starting with the (UTC) month of
 * `from`. Idempotent; returns the names of the partitions it created. Rows already sitting in the
 * default partition for a newly covered month are moved into the new partition (PostgreSQL would
 * otherwise refuse to create it).
 */
export async function ensureReadingPartitions(
  pool: Queryable,
  from: Date,
  months: number,
): Promise<string[]> {
  if (!Number.isInteger(months) || months < 0)
    throw new RangeError(`months must be a non-negative integer, got ${months}`);
  const created: string[] = [];
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'Reading' AND p.relnamespace = current_schema()::regnamespace`,
    );
    const existing = new Set(rows.map((r) => r.name));
    const wanted = [];
    for (let k = 0; k < months; k++) {
      const start = monthStart(from.getUTCFullYear(), from.getUTCMonth() + k);
      const end = monthStart(start.getUTCFullYear(), start.getUTCMonth() + 1);
      const name = readingPartitionName(start.getUTCFullYear(), start.getUTCMonth() + 1);
      if (!existing.has(name)) wanted.push({ name, start, end });
    }
    // The common case (everything exists) costs one catalog query and takes no lock.
    for (const { name, start, end } of wanted) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
        const { rowCount } = await client.query(
          `SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
          [name],
        );
        if (rowCount) {
          await client.query("COMMIT");
          continue;
        }
        const ident = `"${name}"`;
        const lo = start.toISOString();
        const hi = end.toISOString();
        const { rowCount: stray } = await client.query(
          `SELECT 1 FROM "Reading_default" WHERE "time" >= $1 AND "time" < $2 LIMIT 1`,
          [lo, hi],
        );
        if (stray) {
          // Build the partition beside the table, move the month's rows out of the default
          // partition, then attach (attaching checks that the default holds none of its range).
          await client.query(
            `CREATE TABLE ${ident} (LIKE "Reading" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
          );
          await client.query(
            `WITH moved AS (DELETE FROM "Reading_default" WHERE "time" >= $1 AND "time" < $2 RETURNING *)
             INSERT INTO ${ident} SELECT * FROM moved`,
            [lo, hi],
          );
          await client.query(
            `ALTER TABLE "Reading" ATTACH PARTITION ${ident} FOR VALUES FROM ('${lo}') TO ('${hi}')`,
          );
        } else {
          await client.query(
            `CREATE TABLE ${ident} PARTITION OF "Reading" FOR VALUES FROM ('${lo}') TO ('${hi}')`,
          );
        }
        await client.query("COMMIT");
        created.push(name);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    }
  } finally {
    client.release();
  }
  return created;
}

/**
 * Retention: drops the monthly partitions that end on or before `cutoff` (a whole month of
 * readings older than the retention goes at once, without a slow DELETE) and deletes the older
 * rows of the default partition. Returns the dropped partitions' names.
 */
export async function dropReadingsBefore(
  pool: Queryable,
  cutoff: Date,
): Promise<{ dropped: string[]; deleted: number }> {
  if (Number.isNaN(cutoff.getTime())) throw new RangeError("cutoff must be a valid date");
  const dropped: string[] = [];
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'Reading' AND p.relnamespace = current_schema()::regnamespace`,
    );
    for (const { name } of rows) {
      const m = /^Reading_y(\d{4})m(\d{2})$/.exec(name);
      if (!m) continue;
      const end = monthStart(Number(m[1]), Number(m[2]));
      if (end.getTime() > cutoff.getTime()) continue;
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK_KEY]);
        await client.query(`DROP TABLE IF EXISTS "${name}"`);
        await client.query("COMMIT");
        dropped.push(name);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    }
    const { rowCount } = await client.query(`DELETE FROM "Reading_default" WHERE "time" < $1`, [
      cutoff.toISOString(),
    ]);
    return { dropped: dropped.sort(), deleted: rowCount ?? 0 };
  } finally {
    client.release();
  }
}
