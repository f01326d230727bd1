import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** One A record: a public host name and the static address it points at. */
export interface AddressRecord {
  readonly host: string;
  readonly address: pulumi.Input<string>;
}

export interface DnsRecordsArgs {
  readonly project: string;
  /** Name of the Cloud DNS managed zone (not its DNS name) that holds every host. */
  readonly managedZone: string;
  /** Records keyed by a stable name, so adding one renames none. */
  readonly records: Readonly<Record<string, AddressRecord>>;
  /** Seconds resolvers may cache a record. Default: 300. */
  readonly ttl?: number;
}

/** A host as Cloud DNS writes it: fully qualified, with the trailing dot. */
export const fullyQualified = (host: string): string => (host.endsWith('.') ? host : `${host}.`);

/**
 * A records in an existing Cloud DNS managed zone for the stack's public hosts (the API and
 * Grafana), pointing at the load balancers' reserved addresses. The zone itself, and its
 * delegation from the parent domain, are made once per domain outside the stack (README).
 */
export class DnsRecords extends pulumi.ComponentResource {
  /** Record key → fully qualified host name. */
  readonly names: Readonly<Record<string, string>>;

  constructor(name: string, args: DnsRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:DnsRecords', name, {}, opts);
    const names: Record<string, string> = {};
    for (const [key, record] of Object.entries(args.records)) {
      names[key] = fullyQualified(record.host);
      new gcp.dns.RecordSet(
        `${name}-${key}`,
        {
          project: args.project,
          managedZone: args.managedZone,
          name: names[key],
          type: 'A',
          ttl: args.ttl ?? 300,
          rrdatas: [record.address],
        },
        { parent: this },
      );
    }
    this.names = names;
    this.registerOutputs({ names: this.names });
  }
}
