import { describe, expect, it } from 'vitest';
import { defaultNodeTag, firewallRules, googleHealthCheckRanges } from './firewall-rules.js';

const ranges = { subnetCidr: '10.0.0.0/20', podsCidr: '10.4.0.0/14', masterCidr: '172.16.0.0/28' };

describe('firewallRules', () => {
  const rules = firewallRules(ranges);

  it('keys the rules by stable names', () => {
    expect(Object.keys(rules).sort()).toEqual([
      'allow-control-plane',
      'allow-health-checks',
      'allow-internal',
      'deny-all-ingress',
    ]);
  });

  it('lets only the deny-all name 0.0.0.0/0 as a source', () => {
    const fromAnywhere = Object.entries(rules).filter(([, rule]) =>
      rule.sourceRanges.includes('0.0.0.0/0'),
    );
    expect(fromAnywhere.map(([key]) => key)).toEqual(['deny-all-ingress']);
  });

  it('allows node and pod traffic within the subnet to the nodes only', () => {
    expect(rules['allow-internal']).toMatchObject({
      sourceRanges: ['10.0.0.0/20', '10.4.0.0/14'],
      targetTags: [defaultNodeTag],
      allows: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
    });
  });

  it('lets the control plane reach webhooks and kubelets, and nothing else', () => {
    expect(rules['allow-control-plane']).toMatchObject({
      sourceRanges: ['172.16.0.0/28'],
      allows: [{ protocol: 'tcp', ports: ['443', '8443', '9443', '10250'] }],
    });
  });

  it('lets Google health checks reach the serving ports of tagged nodes', () => {
    const rule = firewallRules({ ...ranges, nodeTag: 'aia-node', servingPorts: ['8080'] })[
      'allow-health-checks'
    ];
    expect(rule).toMatchObject({
      sourceRanges: [...googleHealthCheckRanges],
      targetTags: ['aia-node'],
      allows: [{ protocol: 'tcp', ports: ['8080'] }],
    });
    expect(googleHealthCheckRanges).toEqual(['35.191.0.0/16', '130.211.0.0/22']);
  });

  it('denies and logs all other ingress just ahead of the implied deny, below every allow', () => {
    const deny = rules['deny-all-ingress'];
    expect(deny).toMatchObject({
      priority: 65534,
      denies: [{ protocol: 'all' }],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });
    expect(deny?.allows).toBeUndefined();
    for (const [key, rule] of Object.entries(rules)) {
      if (key !== 'deny-all-ingress') expect(rule.priority).toBeLessThan(65534);
    }
  });
});
