// Liveness and readiness for orchestrators: /healthz says the process answers, /readyz that the
// database and the image bucket answer too.
import { Router } from "express";
import type { ApiDeps } from "../context.ts";

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, string> = {};
    let ready = true;
    try {
      if (deps.pool) await withTimeout(deps.pool.query("SELECT 1"), 2000);
      else await withTimeout(deps.prisma.$queryRaw`SELECT 1`, 2000);
      checks.database = "ok";
    } catch (error) {
      ready = false;
      checks.database = "unavailable";
      deps.log.warn("readiness: database check failed", { error });
    }
    try {
      const bucket = deps.storage.bucketName("images");
      const exists = await withTimeout(deps.storage.client.bucketExists(bucket), 2000);
      checks.storage = exists ? "ok" : "bucket missing";
      if (!exists) ready = false;
    } catch (error) {
      ready = false;
      checks.storage = "unavailable";
      deps.log.warn("readiness: storage check failed", { error });
    }
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  return router;
}
