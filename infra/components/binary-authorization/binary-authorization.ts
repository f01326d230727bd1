import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { type AdmissionArgs, admissionPolicy } from './policy-spec.js';

export interface BinaryAuthorizationPolicyArgs extends AdmissionArgs {
  readonly project: string;
}

/**
 * The project's singleton Binary Authorization policy, which a cluster with
 * `PROJECT_SINGLETON_POLICY_ENFORCE` applies to every pod: a project without one admits every
 * image, so enforcement alone proves nothing. Admits our own images (attested by the release
 * pipeline, when an attestor is given) and the pinned charts' images, denies the rest
 * (`admissionPolicy`).
 */
export class BinaryAuthorizationPolicy extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: BinaryAuthorizationPolicyArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('aia:platform:BinaryAuthorizationPolicy', name, {}, opts);
    new gcp.binaryauthorization.Policy(
      `${name}-policy`,
      {
        project: args.project,
        description: args.requiredAttestor
          ? 'Our images attested by the release pipeline and the pinned charts images; nothing else'
          : 'Our Artifact Registry repository and the pinned charts images; nothing else',
        ...admissionPolicy(args),
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
