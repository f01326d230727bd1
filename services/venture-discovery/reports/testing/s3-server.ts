import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { createObjectStorage, type ObjectStorage } from '../../../platform/object-storage.js';

/** The access key pair s3rver's one account accepts (it checks SigV4 signatures against it). */
const S3RVER_KEY = 'S3RVER';

/** A running S3-compatible server in a temporary folder, and the kit's client of its bucket. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly storage: ObjectStorage;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (the maintained fork, `@20minutes/s3rver`: a real S3 protocol server over
 * HTTP, signatures checked, objects on disk) on a free loopback port with one empty bucket, and
 * builds the client the way the service does, through `createObjectStorage`.
 */
export async function startLocalS3(bucket = 'aia-test-reports'): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'aia-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const storage = createObjectStorage({
    S3_ENDPOINT: endpoint,
    S3_BUCKET: bucket,
    S3_REGION: 'us-east-1',
    S3_AUTH: 'access-key',
    S3_ACCESS_KEY_ID: S3RVER_KEY,
    S3_SECRET_ACCESS_KEY: S3RVER_KEY,
  });
  if (!storage) throw new Error('expected object storage for the local S3 server');
  return {
    endpoint,
    storage,
    async stop() {
      storage.client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
