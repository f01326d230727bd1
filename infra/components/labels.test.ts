import { describe, expect, it } from 'vitest';
import { resourceLabels } from './labels.js';

describe('resourceLabels', () => {
  it('labels shared infrastructure as the platform team’s, managed by Pulumi', () => {
    expect(resourceLabels({ environment: 'production' })).toEqual({
      owner: 'platform',
      environment: 'production',
      service: 'platform',
      'managed-by': 'pulumi',
    });
  });

  it('names the service and owner when given', () => {
    expect(
      resourceLabels({ environment: 'staging', service: 'aia-api', owner: 'core' }),
    ).toMatchObject({
      owner: 'core',
      service: 'aia-api',
    });
  });
});
