import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { reportStoreContract } from './report-store.contract.js';
import { s3ReportStore } from './s3-report-store.js';
import { type LocalS3, startLocalS3 } from './testing/s3-server.js';

// The S3 store against a real S3 protocol server (s3rver, signatures checked, objects on disk),
// through the client the kit builds for the service. The bucket is emptied before each test.
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(() => s3.stop());
beforeEach(async () => {
  const { client, bucket } = s3.storage;
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const objects = (listed.Contents ?? []).map((object) => ({ Key: object.Key }));
  if (objects.length > 0)
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
});

reportStoreContract('S3 store on a local S3 server', () => s3ReportStore(s3.storage));
