// `gridfill start` runs jobs in a worker *process* beside the API, so no job (a 10⁶-box import, a
// fill on the CPU) can block the API's event loop. The supervisor starts `gridfill worker`, waits
// until it is ready, restarts it when it dies (with backoff), and stops it with SIGTERM: the worker
// hands running jobs back to the queue, and is killed if it has not exited in time.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const BIN = path.resolve(import.meta.dirname, "../bin/gridfill.js");

export interface SupervisedWorker {
  /** The pid of the worker process running now. */
  readonly pid: number | undefined;
  /** How many times the worker has been started (1 = never restarted). */
  readonly starts: number;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** The worker's whole environment (DATABASE_URL, S3_*, settings). */
  env: NodeJS.ProcessEnv;
  args?: string[];
  /** Lines the worker prints (its JSON log). */
  log: (line: string) => void;
  readyTimeoutMs?: number;
  /** How long a stopping worker gets before SIGKILL. */
  stopTimeoutMs?: number;
}

export async function superviseWorker(options: SuperviseOptions): Promise<SupervisedWorker> {
  const { env, log, readyTimeoutMs = 120_000, stopTimeoutMs = 9_000 } = options;
  let child: ChildProcess | undefined;
  let starts = 0;
  let stopping = false;
  let backoffMs = 500;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      starts += 1;
      const proc = spawn(process.execPath, [BIN, "worker", ...(options.args ?? [])], {
        env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      child = proc;
      let ready = false;
      const timer = setTimeout(() => {
        if (ready) return;
        proc.kill("SIGKILL");
        reject(new Error(`the worker was not ready within ${readyTimeoutMs} ms`));
      }, readyTimeoutMs);
      proc.on("message", (message: { ready?: boolean }) => {
        if (ready || !message?.ready) return;
        ready = true;
        clearTimeout(timer);
        backoffMs = 500;
        resolve();
      });
      for (const stream of [proc.stdout!, proc.stderr!])
        createInterface({ input: stream }).on("line", log);
      proc.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (child === proc) child = undefined;
        if (!ready) {
          reject(new Error(`the worker exited before it was ready (${signal ?? `code ${code}`})`));
          return;
        }
        if (stopping) return;
        log(`worker exited (${signal ?? `code ${code}`}); restarting in ${backoffMs} ms`);
        restartTimer = setTimeout(() => {
          launch().catch((error: Error) => log(`worker restart failed: ${error.message}`));
        }, backoffMs);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      });
    });

  await launch();
  return {
    get pid() {
      return child?.pid;
    },
    get starts() {
      return starts;
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      const killer = setTimeout(() => proc.kill("SIGKILL"), stopTimeoutMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
