import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { isAnywhere } from './cidr.js';

/** Ports a load balancer may expose to the internet unless the pack config declares others. */
const DEFAULT_LOAD_BALANCER_PORTS: readonly string[] = ['80', '443'];

type PortRange = readonly [low: number, high: number];

/** `'443'` → [443, 443], `'8000-8099'` → [8000, 8099]; anything else → undefined. */
function parsePorts(spec: string): PortRange | undefined {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(spec);
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = Number(match[2] ?? match[1]);
  return low <= high ? [low, high] : undefined;
}

const isDeclared = (spec: string, declared: readonly PortRange[]): boolean => {
  const range = parsePorts(spec);
  return range !== undefined && declared.some(([low, high]) => low <= range[0] && range[1] <= high);
};

/** What an allow entry opens beyond the declared ports (`tcp:22`, `all udp`, `all traffic`). */
function openedBeyond(
  allow: { protocol: string; ports?: string[] },
  declared: readonly PortRange[],
): string | undefined {
  const protocol = allow.protocol.toLowerCase();
  if (protocol === 'all') return 'all traffic';
  if (!allow.ports?.length) return `all ${protocol}`;
  const undeclared = allow.ports.filter((spec) => !isDeclared(spec, declared));
  return undeclared.length > 0 ? `${protocol}:${undeclared.join(',')}` : undefined;
}

/** The sources of an ingress rule that match any address. */
function anywhereSources(rule: {
  sourceRanges?: string[];
  sourceTags?: string[];
  sourceServiceAccounts?: string[];
}): string[] {
  if (rule.sourceRanges?.length) return rule.sourceRanges.filter(isAnywhere);
  // An ingress rule with no source at all applies to 0.0.0.0/0.
  const otherSources = [...(rule.sourceTags ?? []), ...(rule.sourceServiceAccounts ?? [])];
  return otherSources.length > 0 ? [] : ['0.0.0.0/0 (no source set)'];
}

export const firewallNoPublicIngress: ResourceValidationPolicy = {
  name: 'gcp-firewall-no-public-ingress',
  description:
    'No firewall rule allows ingress from 0.0.0.0/0 except on the declared load-balancer ports.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      loadBalancerPorts: {
        type: 'array',
        items: { type: 'string' },
        default: [...DEFAULT_LOAD_BALANCER_PORTS],
        description: "Ports or ranges ('443', '8000-8099') that may be open to the internet.",
      },
    },
  },
  validateResource: validateResourceOfType(gcp.compute.Firewall, (rule, args, report) => {
    if ((rule.direction ?? 'INGRESS') !== 'INGRESS' || rule.disabled === true) return;
    const sources = anywhereSources(rule);
    if (sources.length === 0) return;
    const ports = args.getConfig<{ loadBalancerPorts?: string[] }>().loadBalancerPorts;
    const declaredSpecs = ports ?? DEFAULT_LOAD_BALANCER_PORTS;
    const declared = declaredSpecs
      .map(parsePorts)
      .filter((range): range is PortRange => range !== undefined);
    const opened = (rule.allows ?? []).flatMap((allow) => openedBeyond(allow, declared) ?? []);
    if (opened.length === 0) return;
    report(
      `Firewall rule '${rule.name ?? args.name}' allows ${opened.join(', ')} from ${sources.join(', ')}: restrict sourceRanges to known networks, or open only the load-balancer ports (${declaredSpecs.join(', ')}).`,
    );
  }),
};

export const firewallPolicies: ResourceValidationPolicy[] = [firewallNoPublicIngress];
