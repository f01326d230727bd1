import { TaskPushNotificationConfig } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { checkedPushConfig, wireConfigOf } from './push-config.js';

const config = (fields: Record<string, unknown>) => TaskPushNotificationConfig.fromJSON(fields);

describe('checkedPushConfig', () => {
  it('gives a config without an id a new one, and keeps a given one', () => {
    const given = checkedPushConfig(config({ id: 'mine', url: 'https://a.example/h' }), {
      allowHttp: false,
    });
    expect(given.id).toBe('mine');
    const fresh = checkedPushConfig(config({ url: 'https://a.example/h' }), { allowHttp: false });
    expect(fresh.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes http only where private addresses are allowed (a development machine)', () => {
    const http = config({ url: 'http://127.0.0.1:9000/h' });
    expect(() => checkedPushConfig(http, { allowHttp: false })).toThrow(
      'url: expected an https URL',
    );
    expect(checkedPushConfig(http, { allowHttp: true }).url).toBe('http://127.0.0.1:9000/h');
  });

  it('names the field below the path it was sent at', () => {
    expect(() =>
      checkedPushConfig(config({}), {
        allowHttp: false,
        path: 'configuration.taskPushNotificationConfig.',
      }),
    ).toThrow('configuration.taskPushNotificationConfig.url: required');
  });

  it('reads Bearer without credentials as the orchestrator signing itself, and no authentication as the same', () => {
    const bearer = checkedPushConfig(
      config({ url: 'https://a.example/h', authentication: { scheme: 'Bearer' } }),
      { allowHttp: false },
    );
    expect(bearer.authentication).toEqual({ scheme: 'Bearer', credentials: '' });
    const none = checkedPushConfig(config({ url: 'https://a.example/h' }), { allowHttp: false });
    expect(none.authentication).toBeUndefined();
  });

  it('keeps the credentials a webhook asked for', () => {
    const basic = checkedPushConfig(
      config({
        url: 'https://a.example/h',
        authentication: { scheme: 'Basic', credentials: 'dXNlcjpwdw==' },
      }),
      { allowHttp: false },
    );
    expect(basic.authentication).toEqual({ scheme: 'Basic', credentials: 'dXNlcjpwdw==' });
  });

  it('refuses credentials without a scheme, and an id too long', () => {
    expect(() =>
      checkedPushConfig(
        config({ url: 'https://a.example/h', authentication: { credentials: 'x' } }),
        { allowHttp: false },
      ),
    ).toThrow('authentication.scheme: required with credentials');
    expect(() =>
      checkedPushConfig(config({ id: 'i'.repeat(257), url: 'https://a.example/h' }), {
        allowHttp: false,
      }),
    ).toThrow('id: at most 256 characters');
  });
});

describe('wireConfigOf', () => {
  it('answers a stored config in the SDK form, with its task', () => {
    const stored = { id: 'c', url: 'https://a.example/h', token: 't', authentication: undefined };
    expect(wireConfigOf('task-1', '', stored)).toEqual({
      tenant: '',
      id: 'c',
      taskId: 'task-1',
      url: 'https://a.example/h',
      token: 't',
      authentication: undefined,
    });
  });
});
