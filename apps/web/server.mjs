// The console's HTTP server: Next.js (the production build) behind a front that states who is
// connected. Next.js keeps an X-Forwarded-For header the browser sends itself, and the API counts
// sign-in attempts per client address by it, so a client could name a new address for every
// attempt. The console is where browsers connect, so it replaces the header with the address of
// the connection before Next.js (and its proxy to the API) sees the request.
//
//   node server.mjs [--hostname HOST] [--port PORT]     (what `next start` took)
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({
  options: { hostname: { type: "string" }, port: { type: "string" } },
});
const hostname = values.hostname ?? "127.0.0.1";
const port = Number(values.port ?? process.env.PORT ?? 3000);

const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

/** The connection's address replaces whatever the client said it was. */
function stateClient(req) {
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
}

const server = createServer((req, res) => {
  stateClient(req);
  void handle(req, res);
});
server.on("upgrade", (req, socket, head) => {
  stateClient(req);
  void upgrade(req, socket, head);
});
server.listen(port, hostname, () => {
  console.log(`▲ console ready on http://${hostname}:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => server.close(() => process.exit(0)));
