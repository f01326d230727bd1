import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/**
 * The Google APIs the platform uses, keyed by a stable name. Two cannot be enabled from here,
 * since enabling goes through them: serviceusage and cloudresourcemanager (README, First deploy).
 */
export const REQUIRED_APIS = {
  compute: 'compute.googleapis.com',
  container: 'container.googleapis.com',
  servicenetworking: 'servicenetworking.googleapis.com',
  sqladmin: 'sqladmin.googleapis.com',
  redis: 'redis.googleapis.com',
  secretmanager: 'secretmanager.googleapis.com',
  artifactregistry: 'artifactregistry.googleapis.com',
  // Artifact Analysis scans every image pushed to Artifact Registry (GKE's own workload
  // vulnerability scanning is gone).
  containerscanning: 'containerscanning.googleapis.com',
  binaryauthorization: 'binaryauthorization.googleapis.com',
  // The release attestor's note and attestations, and On-Demand Scanning of a pushed image.
  containeranalysis: 'containeranalysis.googleapis.com',
  ondemandscanning: 'ondemandscanning.googleapis.com',
  // Cloud KMS holds the key that encrypts the cluster's Secrets in etcd.
  cloudkms: 'cloudkms.googleapis.com',
  // Identity-Aware Proxy in front of Grafana.
  iap: 'iap.googleapis.com',
  // The VPC's private zone for googleapis.com (Private Google Access at a fixed range).
  dns: 'dns.googleapis.com',
  iam: 'iam.googleapis.com',
  storage: 'storage.googleapis.com',
  logging: 'logging.googleapis.com',
  monitoring: 'monitoring.googleapis.com',
  // Cloud Scheduler starts the daily Cloud SQL exports.
  cloudscheduler: 'cloudscheduler.googleapis.com',
} as const;

/** APIs enabled only when the stack uses them: Cloud DNS when a managed zone is configured. */
export const OPTIONAL_APIS = { dns: 'dns.googleapis.com' } as const;

/**
 * The API each kind of Google Cloud resource is created through, by Pulumi type prefix, so a
 * test can prove every resource of a plan has its API enabled.
 */
export const API_OF_RESOURCE_TYPE: Readonly<Record<string, string>> = {
  'gcp:compute/': REQUIRED_APIS.compute,
  'gcp:container/': REQUIRED_APIS.container,
  'gcp:servicenetworking/': REQUIRED_APIS.servicenetworking,
  'gcp:sql/': REQUIRED_APIS.sqladmin,
  'gcp:redis/': REQUIRED_APIS.redis,
  'gcp:secretmanager/': REQUIRED_APIS.secretmanager,
  'gcp:artifactregistry/': REQUIRED_APIS.artifactregistry,
  'gcp:serviceaccount/': REQUIRED_APIS.iam,
  'gcp:storage/': REQUIRED_APIS.storage,
  'gcp:dns/': OPTIONAL_APIS.dns,
  'gcp:kms/': REQUIRED_APIS.cloudkms,
  'gcp:logging/': REQUIRED_APIS.logging,
  'gcp:cloudscheduler/': REQUIRED_APIS.cloudscheduler,
  'gcp:projects/iAMCustomRole': REQUIRED_APIS.iam,
  'gcp:monitoring/': REQUIRED_APIS.monitoring,
  'gcp:iap/': REQUIRED_APIS.iap,
  'gcp:binaryauthorization/': REQUIRED_APIS.binaryauthorization,
  'gcp:containeranalysis/': REQUIRED_APIS.containeranalysis,
  // Project IAM goes through Cloud Resource Manager, enabled before the first deploy.
  'gcp:projects/iAMMember': 'cloudresourcemanager.googleapis.com',
  'gcp:projects/service': 'serviceusage.googleapis.com',
};

/** The APIs a resource type needs; undefined for types of other providers. */
export function apiOfResourceType(type: string): string | undefined {
  if (!type.startsWith('gcp:')) return undefined;
  const prefix = Object.keys(API_OF_RESOURCE_TYPE).find((candidate) => type.startsWith(candidate));
  if (!prefix) {
    throw new Error(
      `No Google API is known for ${type}: add its type prefix to API_OF_RESOURCE_TYPE and the API to REQUIRED_APIS`,
    );
  }
  return API_OF_RESOURCE_TYPE[prefix];
}

export interface ProjectServicesArgs {
  readonly project: string;
  /** Default: every API in {@link REQUIRED_APIS}. */
  readonly apis?: Readonly<Record<string, string>>;
}

/** APIs that are already on before the program runs (README, First deploy). */
export const PREREQUISITE_APIS = [
  'serviceusage.googleapis.com',
  'cloudresourcemanager.googleapis.com',
] as const;

/**
 * Enables the Google APIs the other components call. Disabling on destroy is off: other things
 * in the project may use the same APIs. Components take this as a dependency.
 */
export class ProjectServices extends pulumi.ComponentResource {
  readonly services: readonly gcp.projects.Service[];
  /** Service name (`artifactregistry.googleapis.com`) → its resource, for a narrow dependsOn. */
  readonly byApi: Readonly<Record<string, gcp.projects.Service>>;

  constructor(name: string, args: ProjectServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ProjectServices', name, {}, opts);
    const apis = args.apis ?? REQUIRED_APIS;
    this.services = Object.entries(apis).map(
      ([key, service]) =>
        new gcp.projects.Service(
          `${name}-${key}`,
          {
            project: args.project,
            service,
            disableOnDestroy: false,
            disableDependentServices: false,
          },
          { parent: this },
        ),
    );
    this.byApi = Object.fromEntries(
      Object.values(apis).map((service, index) => [service, this.services[index]]),
    ) as Record<string, gcp.projects.Service>;
    this.registerOutputs({});
  }
}
