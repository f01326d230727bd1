import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STACKS } from '../services/catalog.js';
import { imageReference, stackConfigSchema } from './config.js';

/** The committed `Pulumi.<stack>.yaml`, shaped as `loadStackConfig` reads it. */
function committed(stack: string) {
  const file = join(import.meta.dirname, '..', `Pulumi.${stack}.yaml`);
  const { config } = parse(readFileSync(file, 'utf8')) as { config: Record<string, string> };
  return {
    stack,
    project: config['gcp:project'],
    region: config['gcp:region'],
    imageRepository: config['aia-platform:imageRepository'],
    imageTag: config['aia-platform:imageTag'],
    domain: config['aia-platform:domain'],
  };
}

const valid = {
  stack: 'staging',
  project: 'aia-platform-staging',
  region: 'us-central1',
  imageRepository: 'us-central1-docker.pkg.dev/aia-platform-staging/aia/services',
  imageTag: '0.1.0',
  domain: 'api.staging.aia-platform.dev',
};

describe('stack configuration', () => {
  it.each(STACKS)('accepts the committed %s stack file', (stack) => {
    const result = stackConfigSchema.safeParse(committed(stack));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('refuses a mutable image tag and names the reason', () => {
    const result = stackConfigSchema.safeParse({ ...valid, imageTag: 'latest' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['imageTag'],
      message: 'must be an immutable tag or digest, not latest',
    });
  });

  it('pins the image by digest with @ and by tag with :', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(imageReference({ ...valid, stack: 'staging', imageTag: digest })).toBe(
      `${valid.imageRepository}@${digest}`,
    );
    expect(imageReference({ ...valid, stack: 'staging' })).toBe(`${valid.imageRepository}:0.1.0`);
    expect(stackConfigSchema.safeParse({ ...valid, imageTag: 'sha256:abc' }).success).toBe(false);
  });

  it('refuses a stack that is not staging or production', () => {
    const result = stackConfigSchema.safeParse({ ...valid, stack: 'dev' });
    expect(result.error?.issues[0]?.message).toBe('stack must be one of staging, production');
  });
});
