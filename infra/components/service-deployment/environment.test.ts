import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../services/catalog.js';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import { EnvContractError, type EnvInputs, renderEnvironment } from './environment.js';

const governor = catalog['economic-governor'].env;
const secret = (value: string) => pulumi.secret(value);
const complete: EnvInputs<typeof governor> = {
  PORT: '8001',
  ENVIRONMENT: 'production',
  JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
  DATABASE_URL: secret('postgres://u:p@10.0.0.3:5432/db'),
  REDIS_URL: secret('rediss://:a@10.0.0.4:6378'),
  TREASURY_PRIVATE_KEY: secret('t'.repeat(32)),
};

describe('rendering a service environment from its catalog schema', () => {
  it('puts secret variables in the Secret and the rest in the ConfigMap', () => {
    const { config, secrets } = renderEnvironment('economic-governor', governor, complete);
    expect(config).toEqual({
      HOST: '0.0.0.0',
      PORT: '8001',
      ENVIRONMENT: 'production',
      JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
    });
    expect(Object.keys(secrets).sort()).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
      'TREASURY_PRIVATE_KEY',
    ]);
  });

  it('fails the plan naming a required variable without a value', () => {
    const { TREASURY_PRIVATE_KEY: _missing, ...rest } = complete;
    // @ts-expect-error the compiler already refuses an environment without TREASURY_PRIVATE_KEY
    const render = () => renderEnvironment('economic-governor', governor, rest);
    expect(render).toThrow(EnvContractError);
    expect(render).toThrow(
      'TREASURY_PRIVATE_KEY is required by economic-governor and has no value',
    );
  });

  it('refuses a bad literal, an unknown variable and a secret given as a plain string', () => {
    const render = () =>
      renderEnvironment('economic-governor', governor, {
        ...complete,
        PORT: 'eighty',
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
        UNKNOWN_SETTING: 'x',
      } as EnvInputs<typeof governor>);
    expect(render).toThrow(
      [
        'Environment of economic-governor does not satisfy its catalog schema:',
        '  - UNKNOWN_SETTING is not in the env schema of economic-governor',
        "  - PORT='eighty' is refused by economic-governor: expected a TCP port number",
        '  - TREASURY_PRIVATE_KEY is a secret of economic-governor: pass a secret output, not a string',
      ].join('\n'),
    );
  });
});
