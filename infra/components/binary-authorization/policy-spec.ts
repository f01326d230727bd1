import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

/**
 * Docker Hub's fully qualified form of a reference, as Binary Authorization matches it:
 * `neo4j:5` → `docker.io/library/neo4j:5`, `google/cloud-sdk:1` → `docker.io/google/cloud-sdk:1`.
 */
export function qualifiedImage(reference: string): string {
  const [first, ...rest] = reference.split('/');
  const hasRegistry = rest.length > 0 && /[.:]|^localhost$/.test(first ?? '');
  if (hasRegistry) return reference;
  return rest.length === 0 ? `docker.io/library/${reference}` : `docker.io/${reference}`;
}

/** The repository of a reference, without its tag or digest. */
export function imageRepositoryOf(reference: string): string {
  const qualified = qualifiedImage(reference);
  const withoutDigest = qualified.split('@')[0] as string;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', slash);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

export interface AdmissionArgs {
  /** Our Artifact Registry repository, `<location>-docker.pkg.dev/<project>/<repository>`. */
  readonly ownRepository: string;
  /** Image repositories (no tag) of the pinned charts and of images the program pins itself. */
  readonly thirdPartyRepositories: readonly string[];
  /**
   * `projects/<project>/attestors/<name>`: when given, our images are admitted only with this
   * attestor's attestation for their digest (the release pipeline signs what it verified), and our
   * repository is no longer exempt. Without it, the whole repository is admitted as it is.
   */
  readonly requiredAttestor?: pulumi.Input<string>;
}

/**
 * The project's Binary Authorization policy: any tag of the listed third-party repositories is
 * admitted; our own images with the required attestor's attestation (or, without an attestor, any
 * image under our repository); everything else is denied and logged. Google's own system images are admitted by Google's global policy
 * (`globalPolicyEvaluationMode: ENABLE`), so GKE's add-ons keep running.
 */
export function admissionPolicy({
  ownRepository,
  thirdPartyRepositories,
  requiredAttestor,
}: AdmissionArgs): Pick<
  gcp.binaryauthorization.PolicyArgs,
  'admissionWhitelistPatterns' | 'defaultAdmissionRule' | 'globalPolicyEvaluationMode'
> {
  const repositories = [...new Set(thirdPartyRepositories.map(imageRepositoryOf))].sort();
  const enforcementMode = 'ENFORCED_BLOCK_AND_AUDIT_LOG';
  return {
    globalPolicyEvaluationMode: 'ENABLE',
    // With an attestor, what is not exempt below needs its attestation: our images, by digest.
    defaultAdmissionRule: requiredAttestor
      ? {
          evaluationMode: 'REQUIRE_ATTESTATION',
          enforcementMode,
          requireAttestationsBies: [requiredAttestor],
        }
      : { evaluationMode: 'ALWAYS_DENY', enforcementMode },
    admissionWhitelistPatterns: [
      // `**` crosses path segments: every image of the repository.
      ...(requiredAttestor ? [] : [{ namePattern: `${ownRepository}/**` }]),
      // `*` does not cross `/`: any tag of exactly this repository, nothing beside or below it.
      ...repositories.map((repository) => ({ namePattern: `${repository}:*` })),
    ],
  };
}
