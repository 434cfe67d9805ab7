// A broker-side size limit for the embedded broker: aedes buffers a whole packet before it looks
// at it, so a client could make it hold a 50 MiB publish in memory. This reads only the MQTT fixed
// headers (type byte + remaining length) as bytes pass and cuts the connection as soon as one
// announces a packet larger than the limit, before its body arrives.
import { Transform } from "node:stream";
import type { TransformCallback } from "node:stream";

export class PacketTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`MQTT packet of ${size} bytes is over the broker's limit of ${limit} bytes`);
  }
}

export class PacketSizeLimit extends Transform {
  readonly #limit: number;
  /** Bytes of the current packet's body still to pass; -1 while reading a fixed header. */
  #bodyLeft = -1;
  #headerSeen = false;
  #length = 0;
  #lengthBytes = 0;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const skip = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= skip;
        i += skip;
        if (this.#bodyLeft === 0) this.#bodyLeft = -1;
        continue;
      }
      const byte = chunk[i++]!;
      if (!this.#headerSeen) {
        this.#headerSeen = true;
        this.#length = this.#lengthBytes = 0;
        continue;
      }
      this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes++;
      if (byte & 0x80 && this.#lengthBytes < 4) continue;
      const size = 1 + this.#lengthBytes + this.#length;
      if (size > this.#limit) return callback(new PacketTooLargeError(size, this.#limit));
      this.#headerSeen = false;
      this.#bodyLeft = this.#length > 0 ? this.#length : -1;
    }
    callback(null, chunk);
  }
}
