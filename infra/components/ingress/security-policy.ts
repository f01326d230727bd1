import type * as gcp from '@pulumi/gcp';

type SecurityPolicyRule = gcp.types.input.compute.SecurityPolicyRule;

/** Cloud Armor sensitivity: 1 opts in the highest-confidence signatures only, 4 every one. */
export type WafSensitivity = 1 | 2 | 3 | 4;

/** The OWASP Core Rule Set 3.3 rule sets Cloud Armor evaluates, each denying with 403. */
export const OWASP_RULE_SETS = [
  'sqli-v33-stable',
  'xss-v33-stable',
  'lfi-v33-stable',
  'rce-v33-stable',
  'scannerdetection-v33-stable',
  'protocolattack-v33-stable',
] as const;

/** First WAF rule's priority; each next rule set is 10 further, leaving room for exceptions. */
const WAF_PRIORITY = 1000;
/**
 * After every WAF rule: a throttle rule allows conforming requests, which ends evaluation, so
 * anything placed after it would never see them.
 */
const RATE_LIMIT_PRIORITY = 2000;
/** Cloud Armor's default rule sits at the lowest priority there is. */
export const DEFAULT_RULE_PRIORITY = 2147483647;

const EVERY_SOURCE = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };

/** `evaluatePreconfiguredWaf('<rule set>', {'sensitivity': N})`. */
export const wafExpression = (ruleSet: string, sensitivity: WafSensitivity) =>
  `evaluatePreconfiguredWaf('${ruleSet}', {'sensitivity': ${sensitivity}})`;

/** Cloud Armor accepts at most this many ranges in one rule's `srcIpRanges`. */
export const MAX_SOURCE_RANGES = 10;

/**
 * The rules of an edge security policy, in priority order: the OWASP rule sets (deny 403), a
 * per-client-IP throttle of `rateLimitPerMinute` requests per 60 s (deny 429 above it), and the
 * default rule. Open to everyone by default (default rule allow); with `allowedSources`, the
 * throttle admits only those ranges and the default rule denies everyone else with 403. Throws,
 * saying why, on a limit or a list Cloud Armor would refuse.
 */
export function securityPolicyRules({
  rateLimitPerMinute,
  wafSensitivity = 1,
  allowedSources,
}: {
  readonly rateLimitPerMinute: number;
  readonly wafSensitivity?: WafSensitivity;
  /** Source ranges allowed through; everyone else is denied. Default: every source. */
  readonly allowedSources?: readonly string[];
}): SecurityPolicyRule[] {
  if (
    allowedSources &&
    (allowedSources.length === 0 || allowedSources.length > MAX_SOURCE_RANGES)
  ) {
    throw new Error(
      `allowedSources must list 1 to ${MAX_SOURCE_RANGES} ranges (one Cloud Armor rule), got ${allowedSources.length}`,
    );
  }
  const sources = allowedSources
    ? { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: [...allowedSources] } }
    : EVERY_SOURCE;
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
    throw new Error(
      `rateLimitPerMinute must be a whole number of requests of at least 1, got ${rateLimitPerMinute}`,
    );
  }
  const waf = OWASP_RULE_SETS.map(
    (ruleSet, index): SecurityPolicyRule => ({
      priority: WAF_PRIORITY + index * 10,
      action: 'deny(403)',
      description: `OWASP CRS 3.3 ${ruleSet}`,
      match: { expr: { expression: wafExpression(ruleSet, wafSensitivity) } },
    }),
  );
  return [
    ...waf,
    {
      priority: RATE_LIMIT_PRIORITY,
      action: 'throttle',
      description: `At most ${rateLimitPerMinute} requests a minute per client IP${allowedSources ? ' of the allowed sources' : ''}`,
      match: sources,
      rateLimitOptions: {
        enforceOnKey: 'IP',
        rateLimitThreshold: { count: rateLimitPerMinute, intervalSec: 60 },
        conformAction: 'allow',
        exceedAction: 'deny(429)',
      },
    },
    allowedSources
      ? {
          priority: DEFAULT_RULE_PRIORITY,
          action: 'deny(403)',
          description: 'Default rule: deny every source not allowed above',
          match: EVERY_SOURCE,
        }
      : {
          priority: DEFAULT_RULE_PRIORITY,
          action: 'allow',
          description: 'Default rule: allow what no rule above denied',
          match: EVERY_SOURCE,
        },
  ];
}
