import * as gcp from '@pulumi/gcp';
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from '@pulumi/policy';

const CLUSTER = 'gcp:container/cluster:Cluster';
const BINAUTHZ_POLICY = 'gcp:binaryauthorization/policy:Policy';
const AR_REPOSITORY = 'gcp:artifactregistry/repository:Repository';

/** 90 days: the longest rotation period reviewers (CIS GKE 6.3.1 and most others) accept. */
const MAX_ROTATION_SECONDS = 90 * 86_400;

export const gkeSecretsEncryption: ResourceValidationPolicy = {
  name: 'gcp-gke-secrets-encryption',
  description:
    'GKE clusters encrypt Kubernetes Secrets in etcd with a Cloud KMS key (application-layer secrets encryption).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const encryption = cluster.databaseEncryption;
    if (encryption?.state === 'ENCRYPTED' && encryption.keyName) return;
    report(
      `GKE cluster '${cluster.name ?? args.name}' keeps Secrets in etcd without a key of its own: set databaseEncryption to { state: 'ENCRYPTED', keyName: <a Cloud KMS key in the cluster's region> } and grant GKE's service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.`,
    );
  }),
};

/** Seconds of a KMS duration such as `7776000s`; undefined when unset or unreadable. */
const seconds = (duration: string | undefined) =>
  duration && /^\d+(\.\d+)?s$/.test(duration) ? Number.parseFloat(duration) : undefined;

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: 'gcp-kms-key-rotation',
  description: 'Cloud KMS encryption keys rotate automatically, at least every 90 days.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.kms.CryptoKey, (key, args, report) => {
    if ((key.purpose ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT') return;
    const period = seconds(key.rotationPeriod);
    if (period !== undefined && period <= MAX_ROTATION_SECONDS) return;
    report(
      `Cloud KMS key '${key.name ?? args.name}' ${period === undefined ? 'never rotates' : `rotates every ${Math.round(period / 86_400)} days`}: set rotationPeriod to at most '${MAX_ROTATION_SECONDS}s' (90 days).`,
    );
  }),
};

interface PolicyProps {
  readonly globalPolicyEvaluationMode?: string;
  readonly defaultAdmissionRule?: {
    readonly evaluationMode?: string;
    readonly enforcementMode?: string;
    readonly requireAttestationsBies?: readonly string[];
  };
  readonly admissionWhitelistPatterns?: readonly { readonly namePattern?: string }[];
}

/** Why a Binary Authorization policy admits more than it should, one sentence each. */
export function binaryAuthorizationProblems(policy: PolicyProps): string[] {
  const problems: string[] = [];
  const rule = policy.defaultAdmissionRule ?? {};
  const denies =
    rule.evaluationMode === 'ALWAYS_DENY' ||
    (rule.evaluationMode === 'REQUIRE_ATTESTATION' &&
      (rule.requireAttestationsBies ?? []).length > 0);
  if (!denies) {
    problems.push(
      `its default rule is ${rule.evaluationMode ?? 'unset'}: set defaultAdmissionRule.evaluationMode to ALWAYS_DENY (or REQUIRE_ATTESTATION with requireAttestationsBies naming an attestor)`,
    );
  }
  if (rule.enforcementMode !== 'ENFORCED_BLOCK_AND_AUDIT_LOG') {
    problems.push(
      `its default rule only logs (${rule.enforcementMode ?? 'unset'}): set enforcementMode to ENFORCED_BLOCK_AND_AUDIT_LOG`,
    );
  }
  if (policy.globalPolicyEvaluationMode !== 'ENABLE') {
    problems.push(
      "Google's system images are not exempt: set globalPolicyEvaluationMode to ENABLE, or GKE's own add-ons are refused",
    );
  }
  for (const { namePattern = '' } of policy.admissionWhitelistPatterns ?? []) {
    // registry/path/image at least: a registry or a whole organisation of it is too wide.
    const [registry, ...path] = namePattern.replace(/[:@]\*+$/, '').split('/');
    const broad =
      !registry?.includes('.') ||
      path.length < 2 ||
      path.some((segment) => segment.includes('*') && segment !== '**') ||
      (namePattern.endsWith('/**') && path.length < 3);
    if (broad) {
      problems.push(
        `it admits '${namePattern}', which is wider than one repository: list each image repository ('registry/path/image:*') or our own repository ('<location>-docker.pkg.dev/<project>/<repository>/**')`,
      );
    }
  }
  return problems;
}

export const binaryAuthorizationPolicy: StackValidationPolicy = {
  name: 'gcp-binary-authorization-policy',
  description:
    'A cluster that enforces Binary Authorization comes with a project policy that denies by default (or requires an attestation), blocks, exempts Google system images and admits only named image repositories and our own images, attested when the policy requires an attestation.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const policies = resources.filter((r) => r.type === BINAUTHZ_POLICY);
    const enforcing = resources.filter(
      (r) =>
        r.type === CLUSTER &&
        (r.props.binaryAuthorization as { evaluationMode?: string } | undefined)?.evaluationMode ===
          'PROJECT_SINGLETON_POLICY_ENFORCE',
    );
    if (policies.length === 0) {
      for (const cluster of enforcing) {
        report(
          `GKE cluster '${cluster.props.name ?? cluster.name}' enforces the project's Binary Authorization policy, but the stack declares none, and a project without one admits every image: add a gcp.binaryauthorization.Policy with defaultAdmissionRule ALWAYS_DENY and our repository in admissionWhitelistPatterns.`,
          cluster.urn,
        );
      }
    }
    const ownRepositories = resources
      .filter((r) => r.type === AR_REPOSITORY)
      .map(
        (r) => `${r.props.location}-docker.pkg.dev/${r.props.project}/${r.props.repositoryId}/**`,
      );
    for (const policy of policies) {
      const props = policy.props as PolicyProps;
      const problems = binaryAuthorizationProblems(props);
      const patterns = new Set((props.admissionWhitelistPatterns ?? []).map((p) => p.namePattern));
      const requiresAttestation =
        props.defaultAdmissionRule?.evaluationMode === 'REQUIRE_ATTESTATION';
      for (const own of ownRepositories) {
        // An exempt image skips every rule: exempting our repository would skip the attestation.
        if (requiresAttestation && patterns.has(own)) {
          problems.push(
            `it exempts our own repository from the attestation it requires: remove the namePattern '${own}'`,
          );
        }
        if (!requiresAttestation && !patterns.has(own)) {
          problems.push(`it does not admit our own repository: add the namePattern '${own}'`);
        }
      }
      for (const problem of problems) {
        report(`Binary Authorization policy '${policy.name}': ${problem}.`, policy.urn);
      }
    }
  },
};

export const binaryAuthorizationEnforced: ResourceValidationPolicy = {
  name: 'gcp-gke-binary-authorization-enforced',
  description:
    "GKE clusters enforce the project's Binary Authorization policy, so only attested images of ours and the pinned charts' images run (advisory on staging, which runs images pushed by hand).",
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const mode = cluster.binaryAuthorization?.evaluationMode;
    if (mode === 'PROJECT_SINGLETON_POLICY_ENFORCE') return;
    report(
      `GKE cluster '${cluster.name ?? args.name}' does not enforce Binary Authorization (evaluationMode ${mode ?? 'unset'}): any image that reaches it runs, attested or not. Set aia-platform:cluster.binaryAuthorization to true (PROJECT_SINGLETON_POLICY_ENFORCE).`,
    );
  }),
};

/** Encryption at rest with our keys, and admission of known images only. */
export const hardeningPolicies = [
  gkeSecretsEncryption,
  kmsKeyRotation,
  binaryAuthorizationPolicy,
  binaryAuthorizationEnforced,
];
