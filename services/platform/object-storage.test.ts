import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serviceDefinition } from '../catalog.js';
import { storesOf } from './module.js';
import { createObjectStorage } from './object-storage.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

// An HTTP endpoint that records what the SDK sends and answers as an S3 server does: the seam
// under test is the request (address, authentication, headers), not a storage server.
let server: Server;
let endpoint: string;
const seen: Seen[] = [];
const objects = new Map<string, string>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      // The object's path, without the operation name the SDK adds (`?x-id=PutObject`).
      const url = (request.url ?? '').split('?')[0] ?? '';
      seen.push({ method: request.method ?? '', url, headers: request.headers, body });
      if (request.method === 'PUT') {
        objects.set(url, body);
        response.writeHead(200, { ETag: '"etag-1"' }).end();
      } else if (objects.has(url)) {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(objects.get(url));
      } else {
        response
          .writeHead(404, { 'Content-Type': 'application/xml' })
          .end('<Error><Code>NoSuchKey</Code><Message>not found</Message></Error>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const put = (key: string, body: string) =>
  new PutObjectCommand({ Bucket: 'aia-test-reports', Key: key, Body: body });

describe('createObjectStorage', () => {
  it('is off without an endpoint and a bucket', () => {
    expect(createObjectStorage({ S3_BUCKET: 'aia-test-reports' })).toBeUndefined();
    expect(createObjectStorage({ S3_ENDPOINT: endpoint })).toBeUndefined();
  });

  it('signs with the access key pair, path-style, without the CRC32 trailers some servers refuse', async () => {
    const storage = createObjectStorage({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'aia-test-reports',
      S3_REGION: 'us-east-1',
      S3_AUTH: 'access-key',
      S3_ACCESS_KEY_ID: 'AKIDTEST',
      S3_SECRET_ACCESS_KEY: 'secret-test-key',
    });
    if (!storage) throw new Error('expected object storage');
    await storage.client.send(put('runs/1.json', '{"run":1}'));
    const got = await storage.client.send(
      new GetObjectCommand({ Bucket: storage.bucket, Key: 'runs/1.json' }),
    );
    expect(await got.Body?.transformToString()).toBe('{"run":1}');
    storage.client.destroy();

    const [request] = seen;
    expect(request).toMatchObject({ method: 'PUT', url: '/aia-test-reports/runs/1.json' });
    expect(request?.body).toBe('{"run":1}');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/s3\/aws4_request/,
    );
    expect(
      Object.keys(request?.headers ?? {}).filter((h) => h.startsWith('x-amz-checksum')),
    ).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('secret-test-key');
  });

  it('sends the current OAuth access token instead of a signature with google-oauth', async () => {
    const tokens = ['ya29.first', 'ya29.second'];
    const storage = createObjectStorage(
      { S3_ENDPOINT: endpoint, S3_BUCKET: 'aia-test-reports', S3_AUTH: 'google-oauth' },
      { accessToken: async () => tokens.shift() ?? 'ya29.none' },
    );
    if (!storage) throw new Error('expected object storage');
    await storage.client.send(put('a.json', '{}'));
    await storage.client.send(put('b.json', '{}'));
    storage.client.destroy();

    expect(seen.map((r) => r.headers.authorization)).toEqual([
      'Bearer ya29.first',
      'Bearer ya29.second',
    ]);
    expect(seen.map((r) => r.url)).toEqual([
      '/aia-test-reports/a.json',
      '/aia-test-reports/b.json',
    ]);
  });

  it('reports a missing object as the SDK error S3 callers expect', async () => {
    const storage = createObjectStorage({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'aia-test-reports',
      S3_ACCESS_KEY_ID: 'AKIDTEST',
      S3_SECRET_ACCESS_KEY: 'secret-test-key',
    });
    if (!storage) throw new Error('expected object storage');
    await expect(
      storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: 'missing.json' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    storage.client.destroy();
  });
});

describe('storesOf', () => {
  it('gives object storage only to a service that declares it', () => {
    const storage = createObjectStorage({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'aia-test-reports',
      S3_ACCESS_KEY_ID: 'AKIDTEST',
      S3_SECRET_ACCESS_KEY: 'secret-test-key',
    });
    const declared = serviceDefinition('venture-discovery');
    const undeclared = serviceDefinition('aia-api');
    expect(declared.dataStores).toContain('objectStorage');
    expect(undeclared.dataStores).not.toContain('objectStorage');
    const fakeDb = (() => {}) as never;
    expect(storesOf(declared, { db: fakeDb, objectStorage: storage }).objectStorage).toBe(storage);
    expect(
      storesOf(undeclared, { db: fakeDb, objectStorage: storage }).objectStorage,
    ).toBeUndefined();
    storage?.client.destroy();
  });
});
