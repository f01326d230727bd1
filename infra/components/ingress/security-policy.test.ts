import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PRIORITY, OWASP_RULE_SETS, securityPolicyRules } from './security-policy.js';

describe('securityPolicyRules', () => {
  it('gives each OWASP rule set its own 403 rule, at the sensitivity asked', () => {
    const rules = securityPolicyRules({ rateLimitPerMinute: 100, wafSensitivity: 2 });
    const waf = rules.slice(0, OWASP_RULE_SETS.length);
    expect(waf.map((rule) => [rule.priority, rule.action])).toEqual(
      OWASP_RULE_SETS.map((_, index) => [1000 + index * 10, 'deny(403)']),
    );
    expect(waf[0]?.match).toEqual({
      expr: { expression: "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 2})" },
    });
  });

  it('rate-limits per client IP over 60 seconds with the figure given', () => {
    const throttle = securityPolicyRules({ rateLimitPerMinute: 1200 }).find(
      (rule) => rule.action === 'throttle',
    );
    expect(throttle?.rateLimitOptions).toMatchObject({
      enforceOnKey: 'IP',
      rateLimitThreshold: { count: 1200, intervalSec: 60 },
      exceedAction: 'deny(429)',
    });
  });

  it('keeps priorities unique and ends with the default allow rule', () => {
    const rules = securityPolicyRules({ rateLimitPerMinute: 600 });
    const priorities = rules.map((rule) => rule.priority);
    expect(new Set(priorities).size).toBe(rules.length);
    expect(priorities).toEqual([...priorities].sort((a, b) => Number(a) - Number(b)));
    expect(rules.at(-1)).toMatchObject({ priority: DEFAULT_RULE_PRIORITY, action: 'allow' });
  });

  it('refuses a rate limit Cloud Armor cannot enforce', () => {
    expect(() => securityPolicyRules({ rateLimitPerMinute: 0 })).toThrow(/at least 1, got 0/);
    expect(() => securityPolicyRules({ rateLimitPerMinute: 2.5 })).toThrow(/whole number/);
  });

  it('with allowedSources, admits only those ranges and denies everyone else with 403', () => {
    const rules = securityPolicyRules({
      rateLimitPerMinute: 600,
      allowedSources: ['10.8.0.0/16', '34.120.1.2/32'],
    });
    expect(rules.find((rule) => rule.action === 'throttle')?.match).toEqual({
      versionedExpr: 'SRC_IPS_V1',
      config: { srcIpRanges: ['10.8.0.0/16', '34.120.1.2/32'] },
    });
    expect(rules.at(-1)).toMatchObject({ priority: DEFAULT_RULE_PRIORITY, action: 'deny(403)' });
  });

  it('refuses an empty allowlist or more ranges than one Cloud Armor rule takes', () => {
    expect(() => securityPolicyRules({ rateLimitPerMinute: 600, allowedSources: [] })).toThrow(
      'allowedSources must list 1 to 10 ranges',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`);
    expect(() => securityPolicyRules({ rateLimitPerMinute: 600, allowedSources: eleven })).toThrow(
      'got 11',
    );
  });
});
