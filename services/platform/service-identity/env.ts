import { issuerEnv } from '../env.js';

/**
 * A calling service's own identity: the PKCS#8 PEM ECDSA P-256 key it signs its service tokens
 * with (`sub` = `service:<name>`). Its public half is in every service's `JWT_PUBLIC_KEYS` under
 * `kid` `service:<name>`; the private half reaches this service alone, as a Secret.
 *
 * Optional in development and test (a call without it fails, saying so); `defineService`
 * requires it on deployed stacks for every service with `calls`.
 */
export const serviceIdentityEnv = {
  // The same contract as the issuer's key: P-256, PKCS#8 PEM, never logged.
  SERVICE_SIGNING_KEY: issuerEnv.JWT_SIGNING_KEY.optional(),
};
