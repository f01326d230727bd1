import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { resourceLabels } from '../labels.js';
import type { ImageRepository } from './artifact-registry.js';
import { parseArtifactRegistryImage } from './image-repository.js';

const REPOSITORY = 'gcp:artifactregistry/repository:Repository';
const labels = resourceLabels({ environment: 'production' });

describe('parseArtifactRegistryImage', () => {
  it('reads location, project, repository and image from an Artifact Registry reference', () => {
    expect(
      parseArtifactRegistryImage('us-central1-docker.pkg.dev/aia-platform-staging/aia/services'),
    ).toEqual({
      location: 'us-central1',
      project: 'aia-platform-staging',
      repositoryId: 'aia',
      image: 'services',
    });
  });

  it('reads a multi-region repository (production: us), which outlives any one region', () => {
    expect(
      parseArtifactRegistryImage('us-docker.pkg.dev/aia-platform-production/aia/services'),
    ).toMatchObject({ location: 'us', project: 'aia-platform-production', repositoryId: 'aia' });
  });

  it('leaves images of other registries alone', () => {
    expect(parseArtifactRegistryImage('ghcr.io/acme/aia-services')).toBeUndefined();
  });

  it('refuses an Artifact Registry reference without a repository or image', () => {
    expect(() => parseArtifactRegistryImage('europe-docker.pkg.dev/p/aia')).toThrow(
      /is not <location>-docker\.pkg\.dev\/<project>\/<repository>\/<image>/,
    );
    expect(() => parseArtifactRegistryImage('europe-docker.pkg.dev/p/Aia_x/services')).toThrow(
      /names repository "Aia_x"/,
    );
  });
});

describe('ImageRepository (mocks)', () => {
  let recorded: RecordedResource[];
  let production: ImageRepository;
  const retained = new Map<string, boolean | undefined>();

  beforeAll(async () => {
    recorded = await startMockStack('production', () => ({}));
    const { ImageRepository } = await import('./artifact-registry.js');
    const recordRetain: pulumi.ResourceTransformation = ({ name, opts }) => {
      retained.set(name, opts.retainOnDelete);
      return undefined;
    };
    const image = parseArtifactRegistryImage(
      'us-central1-docker.pkg.dev/aia-platform-production/aia/services',
    );
    if (!image) throw new Error('expected an Artifact Registry image');
    production = new ImageRepository(
      'aia-production',
      { image, deletionProtection: true, labels },
      { transformations: [recordRetain] },
    );
    new ImageRepository(
      'aia-staging',
      { image: { ...image, project: 'aia-platform-staging' }, deletionProtection: false, labels },
      { transformations: [recordRetain] },
    );
    await pulumi.runtime.disconnect();
  });

  it('creates the Docker repository the stack pulls its image from, tags immutable', async () => {
    const [repository] = ofType(recorded, REPOSITORY);
    expect(repository?.name).toBe('aia-production-images');
    expect(repository?.plain).toEqual({
      project: 'aia-platform-production',
      location: 'us-central1',
      repositoryId: 'aia',
      format: 'DOCKER',
      mode: 'STANDARD_REPOSITORY',
      description: 'AIA Platform service images',
      dockerConfig: { immutableTags: true },
      vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
      labels,
    });
    expect(await resolve(production.url)).toBe(
      'us-central1-docker.pkg.dev/aia-platform-production/aia',
    );
  });

  it('keeps the production repository on destroy, not the staging one', () => {
    expect(retained.get('aia-production-images')).toBe(true);
    expect(retained.get('aia-staging-images')).toBe(false);
  });
});
