import { describe, expect, it } from 'vitest';
import { grafanaAccessSchema } from './config-schema.js';

const messages = (value: unknown) =>
  grafanaAccessSchema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('grafanaAccess', () => {
  it('accepts Identity-Aware Proxy for a group, an allowlist, or both', () => {
    expect(messages({ iap: { group: 'grafana-viewers@aia-platform.dev' } })).toEqual([]);
    expect(messages({ allowedSources: ['34.120.0.0/24'] })).toEqual([]);
    expect(
      messages({
        iap: { group: 'grafana@aia-platform.dev', oauthClientSecretName: 'iap-client' },
        allowedSources: ['34.120.0.0/24'],
      }),
    ).toEqual([]);
  });

  it('refuses Grafana behind its password alone, saying what to set', () => {
    expect(messages({})).toEqual([
      'Grafana would be public behind its password alone: set iap.group (Identity-Aware Proxy) or allowedSources (Cloud Armor allowlist)',
    ]);
  });

  it('refuses a /0, more ranges than one Cloud Armor rule takes, a group that is not an email', () => {
    expect(messages({ allowedSources: ['0.0.0.0/0'] })).toEqual([
      'a /0 admits everyone: list the ranges that need Grafana',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `34.120.${i}.0/24`);
    expect(messages({ allowedSources: eleven })).toEqual([
      'at most 10 ranges: one Cloud Armor rule takes 10',
    ]);
    expect(messages({ iap: { group: 'grafana-viewers' } })).toEqual([
      'expected the email address of a Google group',
    ]);
  });

  it('refuses unknown keys, as every key of the stack configuration', () => {
    expect(messages({ iap: { group: 'g@aia-platform.dev', members: [] } })).toHaveLength(1);
  });
});
