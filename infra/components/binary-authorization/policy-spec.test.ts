import { describe, expect, it } from 'vitest';
import { CLOUD_SDK_IMAGE, NEO4J_IMAGE } from '../neo4j/index.js';
import { CHART_IMAGES, chartImages } from './chart-images.js';
import { admissionPolicy, imageRepositoryOf, qualifiedImage } from './policy-spec.js';

const own = 'us-central1-docker.pkg.dev/aia-platform-production/aia';

describe('admissionPolicy', () => {
  const policy = admissionPolicy({
    ownRepository: own,
    thirdPartyRepositories: ['quay.io/strimzi/operator', NEO4J_IMAGE, 'quay.io/strimzi/operator'],
  });

  it('denies every image by default, blocking and logging, with Google system images exempt', () => {
    expect(policy.globalPolicyEvaluationMode).toBe('ENABLE');
    expect(policy.defaultAdmissionRule).toEqual({
      evaluationMode: 'ALWAYS_DENY',
      enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
    });
  });

  it('admits our whole repository and any tag of each listed repository, once', () => {
    expect(policy.admissionWhitelistPatterns).toEqual([
      { namePattern: `${own}/**` },
      { namePattern: 'docker.io/library/neo4j:*' },
      { namePattern: 'quay.io/strimzi/operator:*' },
    ]);
  });
});

describe('admissionPolicy with the release attestor', () => {
  const attestor = 'projects/aia-platform-production/attestors/aia-production-release';
  const policy = admissionPolicy({
    ownRepository: own,
    thirdPartyRepositories: ['quay.io/strimzi/operator'],
    requiredAttestor: attestor,
  });

  it("requires the attestor's attestation of everything not exempt, blocking and logging", () => {
    expect(policy.defaultAdmissionRule).toEqual({
      evaluationMode: 'REQUIRE_ATTESTATION',
      enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
      requireAttestationsBies: [attestor],
    });
  });

  it('no longer exempts our repository, only the pinned third-party ones', () => {
    expect(policy.admissionWhitelistPatterns).toEqual([
      { namePattern: 'quay.io/strimzi/operator:*' },
    ]);
  });
});

describe('image references', () => {
  it.each([
    ['neo4j:5.26.21', 'docker.io/library/neo4j:5.26.21', 'docker.io/library/neo4j'],
    [CLOUD_SDK_IMAGE, `docker.io/${CLOUD_SDK_IMAGE}`, 'docker.io/google/cloud-sdk'],
    [
      'quay.io/strimzi/kafka:1.2.0-kafka-4.1.0',
      'quay.io/strimzi/kafka:1.2.0-kafka-4.1.0',
      'quay.io/strimzi/kafka',
    ],
    [
      `${own}/services@sha256:${'a'.repeat(64)}`,
      `${own}/services@sha256:${'a'.repeat(64)}`,
      `${own}/services`,
    ],
    ['localhost:5000/app:1', 'localhost:5000/app:1', 'localhost:5000/app'],
  ])('%s is %s in repository %s', (reference, qualified, repository) => {
    expect(qualifiedImage(reference)).toBe(qualified);
    expect(imageRepositoryOf(reference)).toBe(repository);
  });
});

describe('chartImages', () => {
  it('lists the repositories of each chart, and refuses a chart version nobody has read', () => {
    expect(
      chartImages([
        { chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator', version: '1.2.0' },
      ]),
    ).toEqual(['quay.io/strimzi/operator', 'quay.io/strimzi/kafka']);
    expect(() => chartImages([{ chart: 'jaeger', version: '9.9.9' }])).toThrow(
      'No image list for chart jaeger@9.9.9',
    );
  });

  it('names every repository fully qualified, without a tag', () => {
    for (const repository of Object.values(CHART_IMAGES).flat()) {
      expect(imageRepositoryOf(repository)).toBe(repository);
      expect(repository).toMatch(/^[a-z0-9.-]+\.[a-z]+\//);
    }
  });
});
