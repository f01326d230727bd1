import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createObjectStorage, type ObjectStorage } from '../../platform/object-storage.js';
import { s3ReportStore } from './s3-report-store.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const PRECONDITION_FAILED = 412;
const NOT_FOUND = 404;

// An HTTP endpoint that records the requests and answers as S3 does, including the 412 of a
// conditional write to a taken key (which s3rver does not implement): the seam under test is
// what the S3 store asks for, as services/platform/object-storage.test.ts checks the client.
let server: Server;
let storage: ObjectStorage;
const seen: Seen[] = [];
let answerPutWith = 200;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://local');
      seen.push({
        method: request.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (request.method === 'PUT') {
        response.writeHead(answerPutWith, { 'Content-Type': 'application/xml' });
        response.end(
          answerPutWith === PRECONDITION_FAILED
            ? '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>'
            : '',
        );
      } else if (url.searchParams.get('list-type') === '2') {
        response
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>aia-test-reports</Name><Prefix>reports/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><Contents><Key>reports/run/a/v1.html</Key></Contents><Contents><Key>reports/run/a/v1.jsonld</Key></Contents></ListBucketResult>`,
          );
      } else {
        response
          .writeHead(NOT_FOUND, { 'Content-Type': 'application/xml' })
          .end('<Error><Code>NoSuchKey</Code><Message>not found</Message></Error>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const created = createObjectStorage({
    S3_ENDPOINT: endpoint,
    S3_BUCKET: 'aia-test-reports',
    S3_AUTH: 'access-key',
    S3_ACCESS_KEY_ID: 'AKIDTEST',
    S3_SECRET_ACCESS_KEY: 'secret-test-key',
  });
  if (!created) throw new Error('expected object storage');
  storage = created;
});
afterAll(async () => {
  storage.client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  answerPutWith = 200;
});

const object = {
  key: 'reports/run/a/v1.jsonld',
  body: '{"@id":"x"}',
  contentType: 'application/ld+json',
  metadata: { sha256: 'abc123' },
};

describe('the S3 store, request by request', () => {
  it('looks first, then writes with If-None-Match: *, the content type and the hash as metadata', async () => {
    expect(await s3ReportStore(storage).putIfAbsent(object)).toBe('created');
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /aia-test-reports/reports/run/a/v1.jsonld',
      'PUT /aia-test-reports/reports/run/a/v1.jsonld',
    ]);
    const put = seen[1];
    expect(put?.headers['if-none-match']).toBe('*');
    expect(put?.headers['content-type']).toBe('application/ld+json');
    expect(put?.headers['x-amz-meta-sha256']).toBe('abc123');
    expect(put?.body).toBe('{"@id":"x"}');
  });

  it("takes a 412 (someone wrote the key in between) as 'exists', not as an error", async () => {
    answerPutWith = PRECONDITION_FAILED;
    expect(await s3ReportStore(storage).putIfAbsent(object)).toBe('exists');
  });

  it('lists with ListObjectsV2: prefix, page size and start-after, continuing after the last key', async () => {
    const page = await s3ReportStore(storage).list('reports/', { limit: 2, after: 'reports/a' });
    const [list] = seen;
    expect(list?.path).toBe('/aia-test-reports/');
    expect(Object.fromEntries(list?.query ?? [])).toEqual({
      'list-type': '2',
      prefix: 'reports/',
      'max-keys': '2',
      'start-after': 'reports/a',
    });
    expect(page).toEqual({
      keys: ['reports/run/a/v1.html', 'reports/run/a/v1.jsonld'],
      next: 'reports/run/a/v1.jsonld',
    });
  });

  it('answers undefined for a missing object (404 NoSuchKey)', async () => {
    expect(await s3ReportStore(storage).get('reports/run/none/v1.jsonld')).toBeUndefined();
  });
});
