import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { firewallNoPublicIngress } from './firewall.js';
import { gcpPolicies } from './index.js';
import { denyAllFirewall, healthCheckFirewall, webFirewall } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('firewall policy', () => {
  it('passes the production rules and a public web rule under every GCP policy', async () => {
    const rules = [healthCheckFirewall(), denyAllFirewall(), webFirewall()];
    expect(await violationsOf(gcpPolicies, rules)).toEqual([]);
  });

  it('flags ports beyond the load-balancer ports open to 0.0.0.0/0', async () => {
    const ssh = withInput(webFirewall(), 'allows', [
      { ports: ['443', '22'], protocol: 'tcp' },
      { protocol: 'udp' },
    ]);
    expect(await violationsOf([firewallNoPublicIngress], [ssh])).toEqual([
      violation(
        firewallNoPublicIngress,
        ssh,
        "Firewall rule 'aia-production-allow-web' allows tcp:22, all udp from 0.0.0.0/0: restrict sourceRanges to known networks, or open only the load-balancer ports (80, 443).",
      ),
    ]);
  });

  it('flags all traffic from ::/0', async () => {
    const open = withInput(
      withInput(webFirewall(), 'allows', [{ protocol: 'all' }]),
      'sourceRanges',
      ['10.0.0.0/8', '::/0'],
    );
    const [found] = await violationsOf([firewallNoPublicIngress], [open]);
    expect(found?.message).toContain("'aia-production-allow-web' allows all traffic from ::/0:");
  });

  it('flags a rule with no source at all, which GCP applies to 0.0.0.0/0', async () => {
    const sourceless = withInput(healthCheckFirewall(), 'sourceRanges', undefined);
    const [found] = await violationsOf([firewallNoPublicIngress], [sourceless]);
    expect(found?.message).toBe(
      "Firewall rule 'aia-production-allow-health-checks' allows tcp:8000-8099 from 0.0.0.0/0 (no source set): restrict sourceRanges to known networks, or open only the load-balancer ports (80, 443).",
    );
    const tagged = withInput(sourceless, 'sourceTags', ['gke-node']);
    expect(await violationsOf([firewallNoPublicIngress], [tagged])).toEqual([]);
  });

  it('opens the ports and ranges declared in the policy config', async () => {
    const health = withInput(healthCheckFirewall(), 'sourceRanges', ['0.0.0.0/0']);
    const config = {
      'gcp-firewall-no-public-ingress': { loadBalancerPorts: ['443', '8000-8099'] },
    };
    expect(await violationsOf([firewallNoPublicIngress], [health], config)).toEqual([]);
    const [found] = await violationsOf([firewallNoPublicIngress], [webFirewall()], config);
    expect(found?.message).toContain('allows tcp:80 from 0.0.0.0/0');
    expect(found?.message).toContain('open only the load-balancer ports (443, 8000-8099)');
  });

  it('ignores egress and disabled rules', async () => {
    const egress = withInput(
      withInput(webFirewall(), 'allows', [{ protocol: 'all' }]),
      'direction',
      'EGRESS',
    );
    const disabled = withInput(
      withInput(webFirewall(), 'allows', [{ protocol: 'all' }]),
      'disabled',
      true,
    );
    expect(await violationsOf([firewallNoPublicIngress], [egress, disabled])).toEqual([]);
  });
});
