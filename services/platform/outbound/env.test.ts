import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { alwaysCheck, flag, httpEnv } from '../env.js';
import { localOnlyFlag } from './env.js';

const schema = z
  .object({ ENVIRONMENT: httpEnv.ENVIRONMENT, OPEN_UP: flag(false) })
  .superRefine(localOnlyFlag('OPEN_UP'), alwaysCheck);
const load = (env: Record<string, string>) => loadConfig('svc', schema, env);

describe('localOnlyFlag', () => {
  it.each(['development', 'test'])('lets the flag be true in %s', (environment) => {
    expect(load({ ENVIRONMENT: environment, OPEN_UP: 'true' }).OPEN_UP).toBe(true);
  });

  it.each(['staging', 'production'])('refuses the flag true in %s, naming it', (environment) => {
    expect(() => load({ ENVIRONMENT: environment, OPEN_UP: 'yes' })).toThrow(
      `OPEN_UP: must not be true when ENVIRONMENT is ${environment}`,
    );
  });

  it('accepts the flag false (or left out) everywhere', () => {
    expect(load({ ENVIRONMENT: 'production', OPEN_UP: 'false' }).OPEN_UP).toBe(false);
    expect(load({ ENVIRONMENT: 'production' }).OPEN_UP).toBe(false);
  });
});
