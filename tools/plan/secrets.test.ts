import { describe, expect, it } from 'vitest';
import { secretPlaceholder } from './placeholders.js';
import { REDACTED, redactSecrets, unwrapSecrets } from './secrets.js';

const wrap = (value: unknown) => ({
  '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
  value,
});

describe('secret handling in plans', () => {
  it('unwraps secret wrappers at any depth, as the engine does for policies', () => {
    const inputs = {
      spec: wrap({ password: wrap('hunter2'), port: 5432 }),
      list: [wrap('a'), 'b'],
    };
    expect(unwrapSecrets(inputs)).toEqual({
      spec: { password: 'hunter2', port: 5432 },
      list: ['a', 'b'],
    });
  });

  it('redacts wrapped scalars but keeps the structure of wrapped objects', () => {
    const inputs = {
      secretData: wrap('hunter2'),
      settings: wrap({ tier: 'db-custom-2', password: wrap('x') }),
    };
    expect(redactSecrets(inputs)).toEqual({
      secretData: REDACTED,
      settings: { tier: 'db-custom-2', password: REDACTED },
    });
  });

  it('redacts any string that carries a placeholder secret, even inside a URL', () => {
    const url = `postgres://svc:${secretPlaceholder('svc-password')}@10.0.0.3:5432/svc`;
    expect(
      redactSecrets({
        env: [
          { name: 'DATABASE_URL', value: url },
          { name: 'PORT', value: '8001' },
        ],
      }),
    ).toEqual({
      env: [
        { name: 'DATABASE_URL', value: REDACTED },
        { name: 'PORT', value: '8001' },
      ],
    });
  });
});
