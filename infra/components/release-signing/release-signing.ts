import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import {
  ATTESTOR_KEY_ALGORITHM,
  firstKeyVersion,
  kmsPublicKeyId,
  RELEASE_ROLES,
} from './release-roles.js';

export interface ReleaseSigningArgs {
  readonly project: string;
  /** The stack's region: where the key ring lives when the stack creates no image repository. */
  readonly region: string;
  /** Deterministic prefix of names (`aia-<stack>`). */
  readonly prefix: string;
  /**
   * The Artifact Registry repository the release pushes to, when this program created it: the key
   * ring is then in its location (`us` for a multi-region repository).
   */
  readonly imageRepository?: {
    readonly location: string;
    readonly repositoryId: pulumi.Input<string>;
  };
  readonly labels: Record<string, string>;
}

/**
 * Where the release key ring lives: the key that attests the images lives where the images do, so
 * with a multi-region repository (production's `us`) a region loss spares both, and a stack moved
 * to another region keeps its key, its attestor and every attestation made with it. Without a
 * repository of the stack's own, the stack's region.
 */
export const releaseKeyRingLocation = (
  args: Pick<ReleaseSigningArgs, 'region' | 'imageRepository'>,
): string => args.imageRepository?.location ?? args.region;

/**
 * The release pipeline's side of the supply chain on one stack: the release service account
 * (which the workflow impersonates through Workload Identity Federation), an attestor whose
 * attestation the project's Binary Authorization policy requires of our images, the Cloud KMS
 * key that signs for it, and the account's roles to push, scan and attest (docs/release.md).
 *
 * The key is kept on `pulumi destroy` (`retainOnDelete`), as Cloud KMS never deletes a key ring;
 * an asymmetric signing key does not rotate by itself (a new version needs a new public key on
 * the attestor).
 */
export class ReleaseSigning extends pulumi.ComponentResource {
  readonly serviceAccountEmail: pulumi.Output<string>;
  /** `projects/<project>/attestors/<name>`. */
  readonly attestor: pulumi.Output<string>;
  /** The key version that signs: `--keyversion` of `sign-and-create`. */
  readonly keyVersion: pulumi.Output<string>;

  constructor(name: string, args: ReleaseSigningArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ReleaseSigning', name, {}, opts);
    const child = { parent: this };
    const { project } = args;
    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      {
        project,
        accountId: `${args.prefix}-release`,
        displayName: 'Release pipeline: pushes, scans and attests images, deploys',
      },
      child,
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;

    const ring = new gcp.kms.KeyRing(
      `${name}-ring`,
      { project, location: releaseKeyRingLocation(args), name: `${args.prefix}-release` },
      { ...child, retainOnDelete: true },
    );
    const key = new gcp.kms.CryptoKey(
      `${name}-key`,
      {
        name: 'attestor',
        keyRing: ring.id,
        purpose: 'ASYMMETRIC_SIGN',
        versionTemplate: { algorithm: ATTESTOR_KEY_ALGORITHM, protectionLevel: 'SOFTWARE' },
        labels: { ...args.labels },
      },
      { ...child, retainOnDelete: true },
    );
    const keyVersion = key.id.apply(firstKeyVersion);
    const publicKey = gcp.kms
      .getKMSCryptoKeyVersionOutput({ cryptoKey: key.id, version: 1 }, child)
      .apply((version) => version.publicKeys?.[0]);

    const note = new gcp.containeranalysis.Note(
      `${name}-note`,
      {
        project,
        name: `${args.prefix}-release-verified`,
        attestationAuthority: {
          hint: {
            humanReadableName: `Built, scanned and verified by the release pipeline (${args.prefix})`,
          },
        },
      },
      child,
    );
    const attestor = new gcp.binaryauthorization.Attestor(
      `${name}-attestor`,
      {
        project,
        name: `${args.prefix}-release`,
        description: 'Images the release workflow built, scanned and verified',
        attestationAuthorityNote: {
          noteReference: note.name,
          publicKeys: [
            {
              id: keyVersion.apply(kmsPublicKeyId),
              pkixPublicKey: {
                publicKeyPem: publicKey.apply((k) => k?.pem ?? ''),
                signatureAlgorithm: publicKey.apply((k) => k?.algorithm ?? ATTESTOR_KEY_ALGORITHM),
              },
            },
          ],
        },
      },
      child,
    );

    new gcp.kms.CryptoKeyIAMMember(
      `${name}-signer`,
      { cryptoKeyId: key.id, role: RELEASE_ROLES.sign, member },
      child,
    );
    new gcp.containeranalysis.NoteIamMember(
      `${name}-note-attacher`,
      { project, note: note.name, role: RELEASE_ROLES.attachToNote, member },
      child,
    );
    new gcp.binaryauthorization.AttestorIamMember(
      `${name}-attestor-viewer`,
      { project, attestor: attestor.name, role: RELEASE_ROLES.readAttestor, member },
      child,
    );
    for (const [role, suffix] of [
      [RELEASE_ROLES.writeOccurrences, 'occurrences'],
      [RELEASE_ROLES.scanImages, 'scanner'],
    ] as const) {
      new gcp.projects.IAMMember(`${name}-${suffix}`, { project, role, member }, child);
    }
    if (args.imageRepository) {
      new gcp.artifactregistry.RepositoryIamMember(
        `${name}-pusher`,
        {
          project,
          location: args.imageRepository.location,
          repository: args.imageRepository.repositoryId,
          role: RELEASE_ROLES.pushImages,
          member,
        },
        child,
      );
    }

    this.serviceAccountEmail = account.email;
    this.attestor = pulumi.interpolate`projects/${project}/attestors/${attestor.name}`;
    this.keyVersion = keyVersion;
    this.registerOutputs({
      serviceAccountEmail: this.serviceAccountEmail,
      attestor: this.attestor,
      keyVersion: this.keyVersion,
    });
  }
}
