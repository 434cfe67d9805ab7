import { test } from "node:test";
import assert from "node:assert/strict";
import { storageConfigFromEnv, StorageConfigError } from "./config.ts";

const base = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "ak", S3_SECRET_KEY: "sk" };

test("defaults", () => {
  const c = storageConfigFromEnv(base);
  assert.deepEqual(c, {
    endPoint: "http://127.0.0.1:9000",
    accessKey: "ak",
    secretKey: "sk",
    region: "us-east-1",
    bucketImages: "gridfill-images",
    bucketModels: "gridfill-models",
    bucketExports: "gridfill-exports",
    presignTtlSeconds: 300,
    useSSL: false,
    publicEndPoint: "http://127.0.0.1:9000",
  });
});

test("presigned URLs can be signed for the address browsers use", () => {
  const c = storageConfigFromEnv({ ...base, S3_PUBLIC_ENDPOINT: "https://files.example.com/" });
  assert.equal(c.endPoint, "http://127.0.0.1:9000");
  assert.equal(c.publicEndPoint, "https://files.example.com");
  assert.throws(
    () => storageConfigFromEnv({ ...base, S3_PUBLIC_ENDPOINT: "ftp://x" }),
    /S3_PUBLIC_ENDPOINT/,
  );
});

test("https endpoint, prefix, region and ttl", () => {
  const c = storageConfigFromEnv({
    ...base,
    S3_ENDPOINT: "https://minio.example.com/",
    S3_BUCKET_PREFIX: "acme-",
    S3_REGION: "eu-west-1",
    S3_PRESIGN_TTL_SECONDS: "3600",
  });
  assert.equal(c.endPoint, "https://minio.example.com");
  assert.equal(c.useSSL, true);
  assert.equal(c.bucketImages, "acme-images");
  assert.equal(c.region, "eu-west-1");
  assert.equal(c.presignTtlSeconds, 3600);
});

test("reports every problem at once with variable names", () => {
  assert.throws(
    () =>
      storageConfigFromEnv({
        S3_ENDPOINT: "ftp://x",
        S3_PRESIGN_TTL_SECONDS: "7200",
        S3_BUCKET_PREFIX: "Bad_",
      }),
    (err: unknown) => {
      assert.ok(err instanceof StorageConfigError);
      const text = err.message;
      for (const name of [
        "S3_ENDPOINT",
        "S3_ACCESS_KEY",
        "S3_SECRET_KEY",
        "S3_PRESIGN_TTL_SECONDS",
        "S3_BUCKET_PREFIX",
      ]) {
        assert.match(text, new RegExp(name));
      }
      assert.equal(err.problems.length, 5);
      return true;
    },
  );
});

test("rejects endpoints with a path, bad URLs and non-integer TTLs", () => {
  assert.throws(
    () => storageConfigFromEnv({ ...base, S3_ENDPOINT: "http://h:9000/bucket" }),
    /path/,
  );
  assert.throws(
    () => storageConfigFromEnv({ ...base, S3_ENDPOINT: "127.0.0.1:9000" }),
    /S3_ENDPOINT/,
  );
  assert.throws(
    () => storageConfigFromEnv({ ...base, S3_PRESIGN_TTL_SECONDS: "1.5" }),
    /S3_PRESIGN_TTL_SECONDS/,
  );
  assert.throws(
    () => storageConfigFromEnv({ ...base, S3_PRESIGN_TTL_SECONDS: "0" }),
    /S3_PRESIGN_TTL_SECONDS/,
  );
});
