import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { alwaysCheck, httpEnv } from '../../platform/env.js';
import { corsOriginsWhenDeployed, protectionEnv } from './protection-env.js';

// The gateway's schema adds these to the kit's (definition.ts); the same parts, on their own.
const schema = z
  .object({ ENVIRONMENT: httpEnv.ENVIRONMENT, ...protectionEnv })
  .superRefine(corsOriginsWhenDeployed, alwaysCheck);
const load = (env: Record<string, string>) => loadConfig('aia-api', schema, env);
const problemsOf = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
};

describe('CORS_ALLOWED_ORIGINS', () => {
  it('defaults to no cross-origin access, and reads a comma-separated list of exact origins', () => {
    expect(load({}).CORS_ALLOWED_ORIGINS).toEqual([]);
    expect(
      load({ CORS_ALLOWED_ORIGINS: 'https://app.aia.example, http://localhost:5173' })
        .CORS_ALLOWED_ORIGINS,
    ).toEqual(['https://app.aia.example', 'http://localhost:5173']);
  });

  it('refuses * on staging and production, naming the variable and why', () => {
    for (const ENVIRONMENT of ['staging', 'production']) {
      const problems = problemsOf({ ENVIRONMENT, CORS_ALLOWED_ORIGINS: 'https://a.example,*' });
      expect(problems).toEqual([
        {
          field: 'CORS_ALLOWED_ORIGINS',
          reason: expect.stringMatching(
            new RegExp(
              `^must list exact origins when ENVIRONMENT is ${ENVIRONMENT}, not '\\*': any site could read`,
            ),
          ),
        },
      ]);
    }
    expect(
      load({ ENVIRONMENT: 'development', CORS_ALLOWED_ORIGINS: '*' }).CORS_ALLOWED_ORIGINS,
    ).toEqual(['*']);
  });

  it('refuses each entry that is not an origin, quoting it', () => {
    const problems = problemsOf({ CORS_ALLOWED_ORIGINS: 'https://app.example/path,app.example' });
    // One problem per bad entry, every one listed at once.
    expect(problems.map((problem) => problem.field)).toEqual([
      'CORS_ALLOWED_ORIGINS',
      'CORS_ALLOWED_ORIGINS',
    ]);
    expect(problems[0]?.reason).toContain("'https://app.example/path' is not an origin");
    expect(problems[1]?.reason).toContain("'app.example' is not an origin");
  });
});

describe('per-class rate limits', () => {
  it('default to 120 A2A calls and 30 streams per caller and window, and refuse a non-number', () => {
    expect(load({})).toMatchObject({
      GATEWAY_RATE_LIMIT_A2A_MAX: 120,
      GATEWAY_RATE_LIMIT_STREAM_MAX: 30,
    });
    expect(problemsOf({ GATEWAY_RATE_LIMIT_A2A_MAX: 'lots' })[0]).toMatchObject({
      field: 'GATEWAY_RATE_LIMIT_A2A_MAX',
    });
  });
});
