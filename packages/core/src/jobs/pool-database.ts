// pg-boss on the process's one pool instead of a pool of its own: statements go through the shared
// pool, and LISTEN (which wakes workers the moment a job is sent) holds one of its connections
// while the queue runs, re-subscribing after a lost connection.
import type { Db } from "pg-boss";
import type { Pool, PoolClient } from "@gridfill/db";

const RECONNECT_MS = 1000;

export function poolDatabase(pool: Pool): Db {
  return {
    // The driver's own result, as pg-boss's built-in adapter returns it (an array of results for
    // a multi-statement script, which pg-boss's migrations read).
    executeSql: (text, values = []) =>
      pool.query(text, values) as unknown as Promise<{ rows: unknown[] }>,
    async listen(channel, onNotification, onReconnect) {
      let client: PoolClient | undefined;
      let closed = false;
      let retry: NodeJS.Timeout | undefined;
      const quoted = `"${channel.replaceAll('"', '""')}"`;
      const subscribe = async () => {
        const next = await pool.connect();
        next.on("notification", (message) => {
          if (message.channel === channel && message.payload !== undefined)
            onNotification(message.payload);
        });
        next.on("error", () => lost(next));
        try {
          await next.query(`LISTEN ${quoted}`);
        } catch (error) {
          next.release(true);
          throw error;
        }
        client = next;
        onReconnect();
      };
      const lost = (which: PoolClient) => {
        if (client !== which) return;
        client = undefined;
        which.release(true);
        if (closed) return;
        const again = () =>
          subscribe().catch(() => {
            if (!closed) retry = setTimeout(again, RECONNECT_MS);
          });
        retry = setTimeout(again, RECONNECT_MS);
      };
      await subscribe();
      return {
        async close() {
          closed = true;
          clearTimeout(retry);
          const held = client;
          client = undefined;
          if (!held) return;
          await held.query(`UNLISTEN ${quoted}`).catch(() => {});
          held.release();
        },
      };
    },
  };
}
