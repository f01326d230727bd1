import { isPublished, type PublicKeySet } from '../platform/jwt-keys.js';

/**
 * The gateway is the platform's one token issuer. It refuses to start with a signing key whose
 * public half the services do not have: every token it issued would be refused everywhere.
 */
export async function checkIssuerKey(signingKey: string, publicKeys: PublicKeySet): Promise<void> {
  if (!(await isPublished(signingKey, publicKeys))) {
    throw new Error(
      "JWT_SIGNING_KEY's public key is not in JWT_PUBLIC_KEYS: tokens signed with it would be refused by every service; publish its public key (or sign with a published one)",
    );
  }
}
