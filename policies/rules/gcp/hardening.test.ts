import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  binaryAuthorizationEnforced,
  binaryAuthorizationPolicy,
  binaryAuthorizationProblems,
  gkeSecretsEncryption,
  kmsKeyRotation,
} from './hardening.js';

const CLUSTER = 'gcp:container/cluster:Cluster';
const key = 'projects/p/locations/us-central1/keyRings/aia-production-gke/cryptoKeys/gke-secrets';
const cluster = (inputs: Record<string, unknown>) =>
  planned(CLUSTER, 'aia-production-cluster', { name: 'aia-production-cluster', ...inputs });

describe('gcp-gke-binary-authorization-enforced', () => {
  it("accepts a cluster enforcing the project's policy", async () => {
    const enforcing = cluster({
      binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
    });
    expect(await violationsOf([binaryAuthorizationEnforced], [enforcing])).toEqual([]);
  });

  it.each([
    ['DISABLED', { binaryAuthorization: { evaluationMode: 'DISABLED' } }],
    ['unset', {}],
  ])('flags a cluster whose evaluation mode is %s, naming the stack key', async (mode, inputs) => {
    expect(
      messagesOf(await violationsOf([binaryAuthorizationEnforced], [cluster(inputs)])),
    ).toEqual([
      `GKE cluster 'aia-production-cluster' does not enforce Binary Authorization (evaluationMode ${mode}): any image that reaches it runs, attested or not. Set aia-platform:cluster.binaryAuthorization to true (PROJECT_SINGLETON_POLICY_ENFORCE).`,
    ]);
  });
});

describe('gcp-gke-secrets-encryption', () => {
  it('accepts a cluster encrypting Secrets with a KMS key', async () => {
    const encrypted = cluster({ databaseEncryption: { state: 'ENCRYPTED', keyName: key } });
    expect(await violationsOf([gkeSecretsEncryption], [encrypted])).toEqual([]);
  });

  it.each([
    ['no databaseEncryption', {}],
    ['DECRYPTED', { databaseEncryption: { state: 'DECRYPTED' } }],
    ['no key', { databaseEncryption: { state: 'ENCRYPTED' } }],
  ])('flags a cluster with %s, saying what to set', async (_, inputs) => {
    expect(messagesOf(await violationsOf([gkeSecretsEncryption], [cluster(inputs)]))).toEqual([
      "GKE cluster 'aia-production-cluster' keeps Secrets in etcd without a key of its own: set databaseEncryption to { state: 'ENCRYPTED', keyName: <a Cloud KMS key in the cluster's region> } and grant GKE's service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
    ]);
  });
});

describe('gcp-kms-key-rotation', () => {
  const cryptoKey = (inputs: Record<string, unknown>) =>
    planned('gcp:kms/cryptoKey:CryptoKey', 'k', { name: 'gke-secrets', ...inputs });

  it('accepts rotation every 90 days or sooner, and ignores signing keys', async () => {
    const resources = [
      cryptoKey({ rotationPeriod: '7776000s' }),
      cryptoKey({ rotationPeriod: '2592000s', purpose: 'ENCRYPT_DECRYPT' }),
      cryptoKey({ purpose: 'ASYMMETRIC_SIGN' }),
    ];
    expect(await violationsOf([kmsKeyRotation], resources)).toEqual([]);
  });

  it('flags a key that never rotates or rotates yearly', async () => {
    const resources = [cryptoKey({}), cryptoKey({ rotationPeriod: '31536000s' })];
    expect(messagesOf(await violationsOf([kmsKeyRotation], resources))).toEqual([
      "Cloud KMS key 'gke-secrets' never rotates: set rotationPeriod to at most '7776000s' (90 days).",
      "Cloud KMS key 'gke-secrets' rotates every 365 days: set rotationPeriod to at most '7776000s' (90 days).",
    ]);
  });
});

describe('gcp-binary-authorization-policy', () => {
  const own = 'us-central1-docker.pkg.dev/aia-platform-production/aia/**';
  const strict = {
    globalPolicyEvaluationMode: 'ENABLE',
    defaultAdmissionRule: {
      evaluationMode: 'ALWAYS_DENY',
      enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
    },
    admissionWhitelistPatterns: [
      { namePattern: own },
      { namePattern: 'quay.io/strimzi/operator:*' },
    ],
  };
  const policy = (inputs: Record<string, unknown>) =>
    planned('gcp:binaryauthorization/policy:Policy', 'binauthz', inputs);
  const repository = planned('gcp:artifactregistry/repository:Repository', 'images', {
    project: 'aia-platform-production',
    location: 'us-central1',
    repositoryId: 'aia',
  });
  const enforcing = cluster({
    binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
  });

  it('accepts a deny-by-default policy admitting our repository and named repositories', async () => {
    const resources = [enforcing, repository, policy(strict)];
    expect(await violationsOf([binaryAuthorizationPolicy], resources)).toEqual([]);
  });

  it('flags an enforcing cluster without a policy: a project without one admits everything', async () => {
    const messages = messagesOf(await violationsOf([binaryAuthorizationPolicy], [enforcing]));
    expect(messages).toEqual([
      expect.stringContaining(
        'but the stack declares none, and a project without one admits every image',
      ),
    ]);
  });

  it('flags a policy that allows by default, only logs, or blocks Google system images', () => {
    expect(
      binaryAuthorizationProblems({
        defaultAdmissionRule: {
          evaluationMode: 'ALWAYS_ALLOW',
          enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY',
        },
        globalPolicyEvaluationMode: 'DISABLE',
      }),
    ).toEqual([
      'its default rule is ALWAYS_ALLOW: set defaultAdmissionRule.evaluationMode to ALWAYS_DENY (or REQUIRE_ATTESTATION with requireAttestationsBies naming an attestor)',
      'its default rule only logs (DRYRUN_AUDIT_LOG_ONLY): set enforcementMode to ENFORCED_BLOCK_AND_AUDIT_LOG',
      "Google's system images are not exempt: set globalPolicyEvaluationMode to ENABLE, or GKE's own add-ons are refused",
    ]);
    const attested = {
      ...strict,
      defaultAdmissionRule: {
        evaluationMode: 'REQUIRE_ATTESTATION',
        enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
        requireAttestationsBies: ['projects/p/attestors/built-by-ci'],
      },
    };
    expect(binaryAuthorizationProblems(attested)).toEqual([]);
  });

  it.each(['docker.io/**', 'quay.io/*', 'quay.io/strimzi/*', 'us-central1-docker.pkg.dev/p/**'])(
    'flags the pattern %s, wider than one repository',
    (namePattern) => {
      const problems = binaryAuthorizationProblems({
        ...strict,
        admissionWhitelistPatterns: [{ namePattern }],
      });
      expect(problems).toEqual([expect.stringContaining(`it admits '${namePattern}'`)]);
    },
  );

  describe('a policy that requires the release attestation', () => {
    const attestedOnly = {
      ...strict,
      defaultAdmissionRule: {
        evaluationMode: 'REQUIRE_ATTESTATION',
        enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
        requireAttestationsBies: [
          'projects/aia-platform-production/attestors/aia-production-release',
        ],
      },
    };

    it('passes without our repository among the exempt ones: our images need the attestation', async () => {
      const requiring = policy({
        ...attestedOnly,
        admissionWhitelistPatterns: [strict.admissionWhitelistPatterns[1]],
      });
      expect(
        await violationsOf([binaryAuthorizationPolicy], [enforcing, repository, requiring]),
      ).toEqual([]);
    });

    it('flags our repository exempt, which would skip the attestation', async () => {
      expect(
        messagesOf(
          await violationsOf([binaryAuthorizationPolicy], [repository, policy(attestedOnly)]),
        ),
      ).toEqual([
        `Binary Authorization policy 'binauthz': it exempts our own repository from the attestation it requires: remove the namePattern '${own}'.`,
      ]);
    });
  });

  it('flags a policy that leaves out our own repository', async () => {
    const withoutOwn = policy({
      ...strict,
      admissionWhitelistPatterns: [strict.admissionWhitelistPatterns[1]],
    });
    expect(
      messagesOf(await violationsOf([binaryAuthorizationPolicy], [repository, withoutOwn])),
    ).toEqual([
      `Binary Authorization policy 'binauthz': it does not admit our own repository: add the namePattern '${own}'.`,
    ]);
  });
});
