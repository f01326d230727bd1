import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import {
  ENCRYPTER_DECRYPTER_ROLE,
  gkeServiceAgent,
  keyRingName,
  ROTATION_PERIOD,
} from './key-settings.js';

export interface ClusterSecretsKeyArgs {
  readonly project: string;
  /** The cluster's region: GKE refuses a key in another location. */
  readonly region: string;
  /** Deterministic prefix of the key ring's name (`aia-<stack>`). */
  readonly prefix: string;
  /** The project's number, which names GKE's service agent. */
  readonly projectNumber: pulumi.Input<string>;
  readonly labels: Record<string, string>;
}

/**
 * A Cloud KMS key for GKE's application-layer secrets encryption: Kubernetes Secrets are
 * encrypted in etcd with a data key that this key wraps, so a copy of etcd (a backup, a disk)
 * reveals no Secret without access to the key, and revoking the key revokes them all. Rotated
 * every 90 days; GKE's service agent may encrypt and decrypt with it, nobody else is granted.
 *
 * Kept on `pulumi destroy` (`retainOnDelete`): Cloud KMS never deletes a key ring, and a
 * destroyed key would leave anything still encrypted with it unreadable. A rebuilt stack imports
 * the existing ring and key (docs/security.md).
 */
export class ClusterSecretsKey extends pulumi.ComponentResource {
  /** `projects/<p>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>`, once GKE may use it. */
  readonly keyName: pulumi.Output<string>;

  constructor(name: string, args: ClusterSecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ClusterSecretsKey', name, {}, opts);
    const child = { parent: this, retainOnDelete: true };
    const { project } = args;
    const ring = new gcp.kms.KeyRing(
      `${name}-ring`,
      { project, location: args.region, name: keyRingName(args.prefix) },
      child,
    );
    const key = new gcp.kms.CryptoKey(
      `${name}-key`,
      {
        name: 'gke-secrets',
        keyRing: ring.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: ROTATION_PERIOD,
        labels: { ...args.labels },
      },
      child,
    );
    const grant = new gcp.kms.CryptoKeyIAMMember(
      `${name}-gke-agent`,
      {
        cryptoKeyId: key.id,
        role: ENCRYPTER_DECRYPTER_ROLE,
        member: pulumi.output(args.projectNumber).apply(gkeServiceAgent),
      },
      { parent: this },
    );
    // Through the grant, so a cluster created with this key waits until GKE may use it.
    this.keyName = pulumi.all([key.id, grant.id]).apply(([id]) => id);
    this.registerOutputs({ keyName: this.keyName });
  }
}
