export {
  ATTESTOR_KEY_ALGORITHM,
  firstKeyVersion,
  kmsPublicKeyId,
  RELEASE_ROLES,
} from './release-roles.js';
export { ReleaseSigning, type ReleaseSigningArgs } from './release-signing.js';
