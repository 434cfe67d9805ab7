// An in-process MQTT broker (aedes) for the embedded default, used when MQTT_URL is unset.
// Sessions live in memory: fine for a single-machine demo, not for a production ingest path
// (use Mosquitto there). aedes speaks MQTT 3.1.1, so clients must use protocolVersion 4.
import net from "node:net";
import { Aedes } from "aedes";

export interface EmbeddedBrokerOptions {
  /** TCP port; default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface EmbeddedBroker {
  /** `mqtt://host:port` */
  url: string;
  /** The MQTT protocol version clients must use with this broker. */
  protocolVersion: 4;
  stop(): Promise<void>;
}

export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  // A frozen subscriber must not stall delivery to every other client forever.
  const broker = await Aedes.createBroker({ drainTimeout: 30_000, concurrency: 1000 });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  let stopped: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${address.port}`,
    protocolVersion: 4,
    stop: () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
