import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { type ReleaseSigning, releaseKeyRingLocation } from './release-signing.js';

const KEY_ID =
  'projects/aia-platform-production/locations/us/keyRings/aia-production-release/cryptoKeys/attestor';
const EMAIL = 'aia-production-release@aia-platform-production.iam.gserviceaccount.com';

describe('releaseKeyRingLocation', () => {
  it("keeps the key where the images are: the repository's location when the stack creates it", () => {
    expect(
      releaseKeyRingLocation({
        region: 'us-central1',
        imageRepository: { location: 'us', repositoryId: 'aia' },
      }),
    ).toBe('us');
  });

  it("falls back to the stack's region for an image repository the stack does not create", () => {
    expect(releaseKeyRingLocation({ region: 'us-east1' })).toBe('us-east1');
  });
});

describe('ReleaseSigning (mocks)', () => {
  let recorded: RecordedResource[];
  let signing: ReleaseSigning;
  let outputs: { attestor: string; keyVersion: string; email: string };
  const one = (type: string) => {
    const found = recorded.find((r) => r.type === type);
    if (!found) throw new Error(`no ${type}`);
    return found;
  };

  beforeAll(async () => {
    recorded = await startMockStack('production', ({ type }) => {
      if (type === 'gcp:kms/cryptoKey:CryptoKey') return { id: KEY_ID };
      if (type === 'gcp:serviceaccount/account:Account') return { email: EMAIL };
      return {};
    });
    const { ReleaseSigning } = await import('./release-signing.js');
    signing = new ReleaseSigning('aia-production-release', {
      project: 'aia-platform-production',
      region: 'us-central1',
      prefix: 'aia-production',
      imageRepository: { location: 'us', repositoryId: 'aia' },
      labels: { owner: 'platform', environment: 'production', service: 'platform' },
    });
    outputs = {
      attestor: await resolve(signing.attestor),
      keyVersion: await resolve(signing.keyVersion),
      email: await resolve(signing.serviceAccountEmail),
    };
    await pulumi.runtime.disconnect();
  });

  it("signs with an asymmetric P-256 key of its own key ring in the image repository's location, kept on destroy", () => {
    expect(one('gcp:kms/keyRing:KeyRing').plain).toEqual({
      project: 'aia-platform-production',
      location: 'us',
      name: 'aia-production-release',
    });
    expect(one('gcp:kms/cryptoKey:CryptoKey').plain).toMatchObject({
      name: 'attestor',
      purpose: 'ASYMMETRIC_SIGN',
      versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256', protectionLevel: 'SOFTWARE' },
    });
    expect(outputs.keyVersion).toBe(`${KEY_ID}/cryptoKeyVersions/1`);
  });

  it("declares an attestor on its own note, verifying with the key version's public key", () => {
    expect(one('gcp:containeranalysis/note:Note').plain).toMatchObject({
      name: 'aia-production-release-verified',
      attestationAuthority: { hint: { humanReadableName: expect.stringContaining('release') } },
    });
    const attestor = one('gcp:binaryauthorization/attestor:Attestor').plain as {
      name: string;
      attestationAuthorityNote: { noteReference: string; publicKeys: { id: string }[] };
    };
    expect(attestor.name).toBe('aia-production-release');
    expect(attestor.attestationAuthorityNote.noteReference).toBe('aia-production-release-verified');
    expect(attestor.attestationAuthorityNote.publicKeys.map((key) => key.id)).toEqual([
      `//cloudkms.googleapis.com/v1/${KEY_ID}/cryptoKeyVersions/1`,
    ]);
    expect(outputs.attestor).toBe(
      'projects/aia-platform-production/attestors/aia-production-release',
    );
  });

  it('grants the release account exactly what pushing, scanning and attesting need', () => {
    expect(one('gcp:serviceaccount/account:Account').plain).toMatchObject({
      accountId: 'aia-production-release',
    });
    const grants = recorded
      .filter((r) => /IAMMember|IamMember/.test(r.type))
      .map((r) => [r.type.split(':').at(-1), r.plain.role, r.plain.member]);
    const member = `serviceAccount:${EMAIL}`;
    expect(grants.sort()).toEqual(
      [
        ['AttestorIamMember', 'roles/binaryauthorization.attestorsViewer', member],
        ['CryptoKeyIAMMember', 'roles/cloudkms.signerVerifier', member],
        ['IAMMember', 'roles/containeranalysis.occurrences.editor', member],
        ['IAMMember', 'roles/ondemandscanning.admin', member],
        ['NoteIamMember', 'roles/containeranalysis.notes.attacher', member],
        ['RepositoryIamMember', 'roles/artifactregistry.writer', member],
      ].sort(),
    );
    expect(one('gcp:artifactregistry/repositoryIamMember:RepositoryIamMember').plain).toMatchObject(
      {
        location: 'us',
        repository: 'aia',
      },
    );
  });

  it('passes the policy pack (an asymmetric key is not held to the rotation rule)', async () => {
    expect(await packViolations(plannedFromRecorded(recorded))).toEqual([]);
  });
});
