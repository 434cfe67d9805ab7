// Minimal typings for the parts of s3rver (a CommonJS package without types) that we use.
declare module "s3rver" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    configureBuckets(): Promise<void>;
    logger: { close(): void; exceptions: { unhandle(): void } };
    store: {
      getBucketPath(bucket: string): string;
      getResourcePath(bucket: string, key: string, resource: string): string;
      deleteObject(bucket: string, key: string): Promise<void>;
      putObject(object: { bucket: string; key: string }): Promise<unknown>;
      copyObject(
        srcBucket: string,
        srcKey: string,
        destBucket: string,
        destKey: string,
        ...rest: unknown[]
      ): Promise<unknown>;
      putMetadata(bucket: string, key: string, ...rest: unknown[]): Promise<unknown>;
      putBucket(bucket: string): Promise<unknown>;
    };
  }

  export default S3rver;
}

declare module "s3rver/lib/models/account.js" {
  interface AWSAccount {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    revokeAccessKey(accessKeyId: string): void;
  }
  const account: {
    DUMMY_ACCOUNT: AWSAccount;
    registry: Map<string, AWSAccount>;
  };
  export default account;
}
