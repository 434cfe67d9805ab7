// An in-process MQTT broker (aedes) for the embedded default, used when MQTT_URL is unset.
// Sessions live in memory: fine for a single-machine demo, not for a production ingest path
// (use Mosquitto there). aedes speaks MQTT 3.1.1, so clients must use protocolVersion 4.
//
// Nobody connects anonymously. A device logs in with its name and secret, uses its name as client
// id, and may only publish to its own telemetry topic; only the ingester, with a password made for
// this broker, may subscribe. Packets over `maxPacketBytes` cut the connection before they are
// buffered. Deploy/mosquitto.conf applies the same rules to Mosquitto.
import net from "node:net";
import { Duplex, pipeline } from "node:stream";
import { timingSafeEqual } from "node:crypto";
import { Aedes } from "aedes";
import type { AuthenticateError, Client } from "aedes";
import type pg from "pg";
import { DEFAULT_MAX_PAYLOAD_BYTES, telemetryTopic } from "./payload.ts";
import { INGESTER_IDENTITY, deviceCredentialCheck, newIngesterPassword } from "./credentials.ts";
import { PacketSizeLimit } from "./packet-limit.ts";

export interface EmbeddedBrokerOptions {
  /** Where device secrets are checked (`Device.credentialHash`). */
  pool: Pick<pg.Pool, "query">;
  /** TCP port; default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The ingester's password; default a random one, handed out as `ingester.password`. */
  ingesterPassword?: string;
  /** See IngesterOptions.topicPrefix: devices may publish only under it. */
  topicPrefix?: string;
  /** Largest MQTT packet accepted; default 1 MiB plus room for the topic and headers. */
  maxPacketBytes?: number;
}

export interface EmbeddedBroker {
  /** `mqtt://host:port` */
  url: string;
  /** The MQTT protocol version clients must use with this broker. */
  protocolVersion: 4;
  /** The identity the ingester logs in with. */
  ingester: { username: string; password: string };
  stop(): Promise<void>;
}

/** MQTT 3.1.1 CONNACK codes. */
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  const ingesterPassword = options.ingesterPassword ?? newIngesterPassword();
  const checkDevice = deviceCredentialCheck(options.pool);
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PAYLOAD_BYTES + 64 * 1024;
  /** Who each connected client logged in as. */
  const identities = new WeakMap<Client, string>();

  const authenticate = async (client: Client, username?: string, password?: Buffer) => {
    if (!username || !password)
      throw refusal(BAD_CREDENTIALS, "a user name and password are required");
    const secret = password.toString("utf8");
    if (username === INGESTER_IDENTITY) {
      if (!sameText(secret, ingesterPassword)) throw refusal(BAD_CREDENTIALS, "bad credentials");
    } else {
      // A device's client id is its name, so no one can take over another client's session.
      if (client.id !== username)
        throw refusal(NOT_AUTHORIZED, "the client id must be the device name");
      if (!(await checkDevice(username, secret))) throw refusal(BAD_CREDENTIALS, "bad credentials");
    }
    identities.set(client, username);
  };

  // A frozen subscriber must not stall delivery to every other client forever.
  const broker = await Aedes.createBroker({
    drainTimeout: 30_000,
    concurrency: 1000,
    authenticate: (client, username, password, done) => {
      authenticate(client, username, password).then(
        () => done(null, true),
        (error: AuthenticateError) =>
          done(error.returnCode ? error : refusal(NOT_AUTHORIZED, error.message), false),
      );
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null); // the broker's own $SYS messages
      const identity = identities.get(client);
      const allowed =
        identity !== undefined &&
        identity !== INGESTER_IDENTITY &&
        packet.topic === telemetryTopic(identity, options.topicPrefix);
      done(allowed ? null : new Error(`${identity} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, subscription, done) => {
      if (identities.get(client) === INGESTER_IDENTITY) return done(null, subscription);
      done(null, null); // refused: SUBACK 0x80, and the client stays connected
    },
  });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const limited = new PacketSizeLimit(maxPacketBytes);
    pipeline(socket, limited, () => socket.destroy());
    broker.handle(Duplex.from({ readable: limited, writable: socket }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `mqtt://${host}:${address.port}`,
    protocolVersion: 4,
    ingester: { username: INGESTER_IDENTITY, password: ingesterPassword },
    stop: () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
