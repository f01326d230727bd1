import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { ObjectStorage } from '../../platform/object-storage.js';
import type {
  KeyPage,
  ListOptions,
  NewObject,
  PutResult,
  ReportStore,
  StoredObject,
} from './report-store.js';

const HTTP_NOT_FOUND = 404;
/** What S3 answers a conditional write to a taken key (412), or a concurrent one (409). */
const REFUSED_CONDITIONS = new Set([409, 412]);
/** S3's own maximum keys per ListObjectsV2 page. */
const S3_MAX_KEYS = 1000;

const statusOf = (error: unknown) =>
  error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;

/**
 * The report store in the bucket the service was given (`stores.objectStorage`), over the S3 API.
 *
 * Write-once in two steps: a `GetObject` first (a taken key is refused on any S3 server), then
 * `PutObject` with `If-None-Match: *`, which AWS S3 and Cloud Storage's XML API turn into an
 * atomic create (412 if someone wrote the key in between). A server that ignores the condition
 * (s3rver, for one) leaves only that window between the two requests. The bucket's own
 * versioning (docs/object-storage.md) keeps anything overwritten all the same.
 */
export function s3ReportStore({ client, bucket }: ObjectStorage): ReportStore {
  async function get(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        body: (await object.Body?.transformToString('utf-8')) ?? '',
        contentType: object.ContentType ?? 'application/octet-stream',
        metadata: object.Metadata ?? {},
        lastModified: (object.LastModified ?? new Date(0)).toISOString(),
      };
    } catch (error) {
      if (statusOf(error) === HTTP_NOT_FOUND) return undefined;
      throw error;
    }
  }

  return {
    get,

    async putIfAbsent({ key, body, contentType, metadata }: NewObject): Promise<PutResult> {
      if ((await get(key)) !== undefined) return 'exists';
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            Metadata: { ...metadata },
            IfNoneMatch: '*',
          }),
        );
        return 'created';
      } catch (error) {
        const status = statusOf(error);
        if (status !== undefined && REFUSED_CONDITIONS.has(status)) return 'exists';
        throw error;
      }
    },

    async list(prefix: string, { after, limit }: ListOptions): Promise<KeyPage> {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: Math.min(limit, S3_MAX_KEYS),
          ...(after === undefined ? {} : { StartAfter: after }),
        }),
      );
      const keys = (page.Contents ?? []).flatMap((object) =>
        object.Key === undefined ? [] : [object.Key],
      );
      const last = keys.at(-1);
      return page.IsTruncated && last !== undefined ? { keys, next: last } : { keys };
    },
  };
}
