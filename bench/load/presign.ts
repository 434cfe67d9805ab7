// What presigning a 50-image page costs in the API process: the SigV4 signatures of 50 thumbnail
// URLs, each computed by the minio client as `thumbnailUrl` does, without any network.
//
//   node --import tsx bench/load/presign.ts [--pages 200]
import { parseArgs } from "node:util";
import { Storage, storageConfigFromEnv } from "@gridfill/storage";

const { values: args } = parseArgs({ options: { pages: { type: "string", default: "200" } } });
const storage = new Storage(
  storageConfigFromEnv({
    S3_ENDPOINT: "http://127.0.0.1:9000",
    S3_ACCESS_KEY: "bench-access-key",
    S3_SECRET_KEY: "bench-secret-key-0123456789",
  }),
);
const key = (i: number) => `thumbnails/256/ab/cd/${i.toString(16).padStart(64, "0")}.webp`;
const pages = Number(args.pages);
const times: number[] = [];
for (let page = 0; page < pages; page++) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      storage.presignGet("images", key(page * 50 + i), { ttl: 300 }),
    ),
  );
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(
  `50 presigned GETs per page, ${pages} pages: mean ${mean.toFixed(2)} ms, p50 ${times[Math.floor(pages / 2)]!.toFixed(2)} ms, p95 ${times[Math.floor(pages * 0.95)]!.toFixed(2)} ms per page`,
);
