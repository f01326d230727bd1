import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { secretKeysOf } from './config.js';
import { objectStorageEnv, withObjectStorageRules } from './object-storage-env.js';

const schema = withObjectStorageRules(
  z.object({
    ENVIRONMENT: z.enum(['development', 'test', 'staging', 'production']),
    ...objectStorageEnv,
  }),
);
const problems = (env: Record<string, string>) =>
  (schema.safeParse(env).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('objectStorageEnv', () => {
  it('reads Cloud Storage through its XML API with the Workload Identity token and no key', () => {
    const env = schema.parse({
      ENVIRONMENT: 'production',
      S3_ENDPOINT: 'https://storage.googleapis.com',
      S3_BUCKET: 'aia-production-reports-nam4',
      S3_AUTH: 'google-oauth',
    });
    expect(env).toMatchObject({ S3_REGION: 'auto', S3_FORCE_PATH_STYLE: true });
  });

  it('requires the endpoint and the bucket on a deployed stack only', () => {
    expect(problems({ ENVIRONMENT: 'development' })).toEqual([]);
    expect(problems({ ENVIRONMENT: 'staging' })).toEqual([
      'S3_ENDPOINT: required when ENVIRONMENT is staging',
      'S3_BUCKET: required when ENVIRONMENT is staging',
    ]);
  });

  it('needs both halves of the key pair for any other S3 endpoint, and keeps the secret one secret', () => {
    expect(problems({ ENVIRONMENT: 'development', S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual([
      'S3_ACCESS_KEY_ID: required when S3_AUTH is access-key (or set S3_AUTH=google-oauth for Cloud Storage)',
      'S3_SECRET_ACCESS_KEY: required when S3_AUTH is access-key (or set S3_AUTH=google-oauth for Cloud Storage)',
    ]);
    expect(secretKeysOf(schema)).toEqual(['S3_SECRET_ACCESS_KEY']);
  });
});
