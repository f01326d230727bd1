import { describe, expect, it } from 'vitest';
import { servicesDeploymentSchema } from './config-schema.js';

describe('aia-platform:services.canary', () => {
  it('is absent by default: the live colour alone', () => {
    expect(servicesDeploymentSchema.parse({}).canary).toBeUndefined();
  });

  it('takes a whole share from 1 to 99 % (0 is no canary, 100 a switch)', () => {
    expect(servicesDeploymentSchema.parse({ canary: { percent: 25 } }).canary).toEqual({
      percent: 25,
    });
    for (const percent of [0, 100, 12.5]) {
      const result = servicesDeploymentSchema.safeParse({ canary: { percent } });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['canary', 'percent']);
    }
  });
});
