/**
 * What the release service account may do, each role on the narrowest resource that carries it
 * (Binary Authorization's "creating attestations" guide lists the four attestation roles).
 */
export const RELEASE_ROLES = {
  /** Push images to the stack's repository. */
  pushImages: 'roles/artifactregistry.writer',
  /** Sign with the attestor's key (and read its public key). */
  sign: 'roles/cloudkms.signerVerifier',
  /** Attach attestations (occurrences) to the attestor's note. */
  attachToNote: 'roles/containeranalysis.notes.attacher',
  /** Create the occurrences themselves: a project-level role only. */
  writeOccurrences: 'roles/containeranalysis.occurrences.editor',
  /** Read the attestor that `sign-and-create` names. */
  readAttestor: 'roles/binaryauthorization.attestorsViewer',
  /** Run On-Demand Scanning on a pushed image: a project-level role only. */
  scanImages: 'roles/ondemandscanning.admin',
} as const;

/** The attestor's signing algorithm: ECDSA P-256, which Binary Authorization verifies. */
export const ATTESTOR_KEY_ALGORITHM = 'EC_SIGN_P256_SHA256';

/** `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/1`: the version Cloud KMS creates with the key. */
export const firstKeyVersion = (cryptoKeyId: string) => `${cryptoKeyId}/cryptoKeyVersions/1`;

/** A public key's id as Binary Authorization names a Cloud KMS key version. */
export const kmsPublicKeyId = (keyVersionName: string) =>
  `//cloudkms.googleapis.com/v1/${keyVersionName}`;
