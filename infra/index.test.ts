import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../services/catalog.js';

type Program = typeof import('./index.js');

/** Resolves a stack output under mocks. */
const resolved = <T>(output: pulumi.Output<T> | T): Promise<T> =>
  new Promise((resolve) =>
    pulumi.Output.isInstance(output) ? output.apply(resolve) : resolve(output),
  );

describe('the Pulumi program on the production stack (mocks)', () => {
  let program: Program;

  beforeAll(async () => {
    pulumi.runtime.setAllConfig({
      'gcp:project': 'aia-platform-production',
      'gcp:region': 'us-central1',
      'aia-platform:imageRepository':
        'us-central1-docker.pkg.dev/aia-platform-production/aia/services',
      'aia-platform:imageTag': '1.4.2',
      'aia-platform:domain': 'api.aia-platform.dev',
    });
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
      },
      'aia-platform',
      'production',
      false,
    );
    program = await import('./index.js');
  });

  it('deploys every catalog service with its production figures and the configured image', async () => {
    const services = await resolved(program.services);
    expect(Object.keys(services).sort()).toEqual(Object.keys(catalog).sort());
    expect(services['aia-api']).toEqual({
      image: 'us-central1-docker.pkg.dev/aia-platform-production/aia/services:1.4.2',
      port: 8000,
      resources: {
        requests: { cpu: '1000m', memory: '2Gi' },
        limits: { cpu: '4000m', memory: '8Gi' },
      },
      scaling: catalog['aia-api'].scaling.production,
    });
    expect(await resolved(program.stack)).toBe('production');
  });
});
