import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** The Google APIs the platform uses, keyed by a stable name. */
export const REQUIRED_APIS = {
  compute: 'compute.googleapis.com',
  container: 'container.googleapis.com',
  servicenetworking: 'servicenetworking.googleapis.com',
  sqladmin: 'sqladmin.googleapis.com',
  redis: 'redis.googleapis.com',
  secretmanager: 'secretmanager.googleapis.com',
  artifactregistry: 'artifactregistry.googleapis.com',
  binaryauthorization: 'binaryauthorization.googleapis.com',
  iam: 'iam.googleapis.com',
  logging: 'logging.googleapis.com',
  monitoring: 'monitoring.googleapis.com',
} as const;

export interface ProjectServicesArgs {
  readonly project: string;
  /** Default: every API in {@link REQUIRED_APIS}. */
  readonly apis?: Readonly<Record<string, string>>;
}

/**
 * Enables the Google APIs the other components call. Disabling on destroy is off: other things
 * in the project may use the same APIs. Components take this as a dependency.
 */
export class ProjectServices extends pulumi.ComponentResource {
  readonly services: readonly gcp.projects.Service[];

  constructor(name: string, args: ProjectServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ProjectServices', name, {}, opts);
    this.services = Object.entries(args.apis ?? REQUIRED_APIS).map(
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
    this.registerOutputs({});
  }
}
