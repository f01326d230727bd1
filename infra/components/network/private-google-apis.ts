import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

/** private.googleapis.com: Google APIs over Private Google Access, from inside the VPC only. */
export const PRIVATE_GOOGLE_APIS = [
  '199.36.153.8',
  '199.36.153.9',
  '199.36.153.10',
  '199.36.153.11',
];

/**
 * A private zone for googleapis.com in the VPC: every *.googleapis.com name resolves to
 * private.googleapis.com's four addresses, so pods reach Google APIs through Private Google
 * Access at a fixed range (199.36.153.8/30) that an egress NetworkPolicy can name, instead of
 * public addresses no policy can list.
 */
export function privateGoogleApisZone(
  name: string,
  args: { project: string; network: pulumi.Input<string>; labels: Record<string, string> },
  opts: pulumi.CustomResourceOptions,
) {
  const zone = new gcp.dns.ManagedZone(
    `${name}-googleapis`,
    {
      project: args.project,
      name: `${name}-googleapis`,
      dnsName: 'googleapis.com.',
      description: 'Google APIs through private.googleapis.com (Private Google Access)',
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: args.network }] },
      labels: { ...args.labels },
    },
    opts,
  );
  new gcp.dns.RecordSet(
    `${name}-googleapis-private`,
    {
      project: args.project,
      managedZone: zone.name,
      name: 'private.googleapis.com.',
      type: 'A',
      ttl: 300,
      rrdatas: PRIVATE_GOOGLE_APIS,
    },
    opts,
  );
  new gcp.dns.RecordSet(
    `${name}-googleapis-wildcard`,
    {
      project: args.project,
      managedZone: zone.name,
      name: '*.googleapis.com.',
      type: 'CNAME',
      ttl: 300,
      rrdatas: ['private.googleapis.com.'],
    },
    opts,
  );
  return zone;
}
