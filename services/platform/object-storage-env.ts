import { z } from 'zod';
import { secret } from './config.js';
import { alwaysCheck, flag, requiredWhenDeployed, text } from './env.js';

/**
 * Object storage over the S3 API. On the deployed stacks the endpoint is Cloud Storage's XML API
 * and requests carry the pod's Workload Identity OAuth 2.0 access token (`S3_AUTH=google-oauth`,
 * no key to leak or rotate: docs/object-storage.md); any other S3 server (a local one, another
 * cloud) is configured with an endpoint and an access key pair (`S3_AUTH=access-key`).
 */
export const objectStorageEnv = {
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  /** `auto` for Cloud Storage, which ignores it; the bucket's region for AWS. */
  S3_REGION: z.string().min(1).default('auto'),
  S3_BUCKET: text('a bucket name')
    .regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'expected a bucket name')
    .optional(),
  S3_AUTH: z.enum(['google-oauth', 'access-key']).default('access-key'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: secret(z.string().min(1)).optional(),
  /** `https://<endpoint>/<bucket>/<key>`: Cloud Storage serves it, and no wildcard DNS is needed. */
  S3_FORCE_PATH_STYLE: flag(true),
};

type Refinement = (env: Record<string, unknown>, ctx: z.RefinementCtx) => void;

/** Refinement: an access-key endpoint needs both halves of the key pair. */
const keysForAccessKeyAuth: Refinement = (env, ctx) => {
  if (env.S3_ENDPOINT === undefined || env.S3_AUTH !== 'access-key') return;
  for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((k) => !env[k])) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message:
        'required when S3_AUTH is access-key (or set S3_AUTH=google-oauth for Cloud Storage)',
    });
  }
};

/** Adds the object storage rules to a service's env schema: endpoint and bucket when deployed. */
export const withObjectStorageRules = <S extends z.ZodObject>(schema: S): S =>
  schema
    .superRefine(requiredWhenDeployed('S3_ENDPOINT', 'S3_BUCKET'), alwaysCheck)
    .superRefine(keysForAccessKeyAuth, alwaysCheck);
