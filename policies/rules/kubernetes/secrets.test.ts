import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { SECRET_MARKER } from '../../../tools/plan/placeholders.js';
import { REDACTED as PLAN_REDACTED } from '../../../tools/plan/secrets.js';
import { noPlaintextSecrets, PLAN_SECRET_MARKER, REDACTED } from './secrets.js';
import { APP, secret, TYPES, urnOf } from './test-fixtures.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('k8s-no-plaintext-secret', () => {
  it('reads secrets the way offline plans write them', () => {
    expect(REDACTED).toBe(PLAN_REDACTED);
    expect(PLAN_SECRET_MARKER).toBe(SECRET_MARKER);
  });

  it('accepts a Secret whose every value is a secret', async () => {
    const values = { DATABASE_URL: '[secret]', JWT_SIGNING_KEY: '[secret]' };
    expect(await violationsOf([noPlaintextSecrets], [secret(values)])).toEqual([]);
  });

  it('accepts the placeholder secrets of a plan unwrapped in process, base64 data included', async () => {
    const resource = secret({ DATABASE_URL: `postgres://svc:${SECRET_MARKER}db@10.255.0.3/svc` });
    const data = { NEO4J_PASSWORD: base64(`${SECRET_MARKER}neo4j-password`) };
    const withData = { ...resource, inputs: { ...resource.inputs, data } };
    expect(await violationsOf([noPlaintextSecrets], [withData])).toEqual([]);
  });

  it('flags each plaintext value, by field and key', async () => {
    const resource = secret({ DATABASE_URL: '[secret]', LOG_LEVEL: 'info' });
    const withData = {
      ...resource,
      inputs: { ...resource.inputs, data: { HOST: base64('10.0.0.4') } },
    };
    expect(await violationsOf([noPlaintextSecrets], [withData])).toEqual([
      {
        policy: 'k8s-no-plaintext-secret',
        enforcementLevel: 'mandatory',
        urn: urnOf(TYPES.secret, `${APP}-env`),
        message:
          'Secret apps/economic-governor-env holds plaintext values in data.HOST, stringData.LOG_LEVEL: build them from secret config (config.requireSecret) or generated secrets, or move settings that are not secret to a ConfigMap.',
      },
    ]);
  });
});
