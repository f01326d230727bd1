import * as gcp from '@pulumi/gcp';
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from '@pulumi/policy';
import { describe, expect, it } from 'vitest';
import { planned } from '../../test/harness/policy-fixtures.js';
import { runPolicies } from './run-policies.js';

const noPublicIp: ResourceValidationPolicy = {
  name: 'no-public-ip',
  description: 'test rule',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (instance.settings?.ipConfiguration?.ipv4Enabled) report(`${args.name} is public`);
  }),
};

const countsResources: StackValidationPolicy = {
  name: 'counts',
  description: 'test stack rule',
  enforcementLevel: 'advisory',
  validateStack: ({ resources, getConfig }, report) => {
    const { max } = getConfig<{ max?: number }>();
    const withParent = resources.filter((resource) => resource.parent).length;
    if (resources.length > (max ?? 10))
      report(`${resources.length} resources, ${withParent} with a parent`);
  },
};

const publicSql = planned('gcp:sql/databaseInstance:DatabaseInstance', 'db', {
  settings: { ipConfiguration: { ipv4Enabled: true } },
});
const component = planned('aia:platform:CloudSqlPostgres', 'sql', {});
const child = { ...planned('gcp:redis/instance:Instance', 'cache', {}), parent: component.urn };

describe('running policies offline like the engine', () => {
  it('applies typed rules only to their type, at the policy default level', async () => {
    const violations = await runPolicies({
      resources: [publicSql, component, child],
      policies: [noPublicIp],
    });
    expect(violations).toEqual([
      {
        policy: 'no-public-ip',
        enforcementLevel: 'advisory',
        urn: publicSql.urn,
        message: 'db is public',
      },
    ]);
  });

  it('takes enforcement levels from the pack config: per policy, then all, then the policy', async () => {
    const run = (config: Parameters<typeof runPolicies>[0]['config']) =>
      runPolicies({ resources: [publicSql], policies: [noPublicIp], config });
    expect((await run({ 'no-public-ip': 'mandatory' }))[0]?.enforcementLevel).toBe('mandatory');
    expect((await run({ all: 'mandatory' }))[0]?.enforcementLevel).toBe('mandatory');
    expect(
      (await run({ all: 'mandatory', 'no-public-ip': { enforcementLevel: 'advisory' } }))[0]
        ?.enforcementLevel,
    ).toBe('advisory');
    expect(await run({ 'no-public-ip': 'disabled' })).toEqual([]);
  });

  it('gives stack rules every resource with parents linked, and their own config', async () => {
    const violations = await runPolicies({
      resources: [publicSql, component, child],
      policies: [countsResources],
      config: { counts: { max: 2 } },
    });
    expect(violations).toEqual([
      {
        policy: 'counts',
        enforcementLevel: 'advisory',
        urn: '',
        message: '3 resources, 1 with a parent',
      },
    ]);
  });
});
