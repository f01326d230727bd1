import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { STACKS } from '../services/catalog.js';

/** Typed, validated stack configuration: every `pulumi.Config` read of the program happens here. */
export const stackConfigSchema = z.object({
  stack: z.enum(STACKS, { error: `stack must be one of ${STACKS.join(', ')}` }),
  project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a Google Cloud project id'),
  region: z
    .string()
    .regex(/^[a-z]+-[a-z]+\d$/, 'expected a Google Cloud region such as us-central1'),
  imageRepository: z.string().min(1, 'required'),
  imageTag: z
    .string()
    .refine((tag) => tag !== 'latest', 'must be an immutable tag or digest, not latest')
    .refine(
      (tag) => /^sha256:[0-9a-f]{64}$/.test(tag) || /^[\w][\w.-]{0,127}$/.test(tag),
      'expected a tag such as 1.4.2 or a digest such as sha256:<64 hex digits>',
    ),
  domain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'expected a DNS name'),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** `repo:tag`, or `repo@sha256:...` when the configured tag is a digest. */
export const imageReference = ({ imageRepository, imageTag }: StackConfig) =>
  imageTag.startsWith('sha256:')
    ? `${imageRepository}@${imageTag}`
    : `${imageRepository}:${imageTag}`;

/** Reads and validates the stack's configuration; a bad key fails with its name and the reason. */
export function loadStackConfig(): StackConfig {
  const gcp = new pulumi.Config('gcp');
  const aia = new pulumi.Config('aia-platform');
  const raw = {
    stack: pulumi.getStack(),
    project: gcp.get('project'),
    region: gcp.get('region') ?? 'us-central1',
    imageRepository: aia.get('imageRepository'),
    imageTag: aia.get('imageTag'),
    domain: aia.get('domain'),
  };
  const result = stackConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const keys: Record<string, string> = {
    stack: 'stack name',
    project: 'gcp:project',
    region: 'gcp:region',
    imageRepository: 'aia-platform:imageRepository',
    imageTag: 'aia-platform:imageTag',
    domain: 'aia-platform:domain',
  };
  const problems = result.error.issues.map((issue) => {
    const field = String(issue.path[0]);
    const key = keys[field] ?? field;
    const missing = raw[field as keyof typeof raw] === undefined;
    return `  - ${key}: ${missing ? `required (pulumi config set ${key} <value>)` : issue.message}`;
  });
  throw new Error(`Invalid stack configuration:\n${problems.join('\n')}`);
}
