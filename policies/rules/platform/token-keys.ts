import type { StackValidationPolicy } from '@pulumi/policy';
import { serviceDefinition } from '../../../services/catalog.js';
import { providedEnv } from './env-contract.js';
import { serviceDeployments } from './workloads.js';

/** The variable that carries the token issuer's private key. */
const SIGNING_KEY = 'JWT_SIGNING_KEY';
/** The variable that carries a calling service's own signing key. */
const SERVICE_KEY = 'SERVICE_SIGNING_KEY';
const PRIVATE_KEY_PEM = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Only the issuer (the service whose env schema asks for JWT_SIGNING_KEY) receives the token
 * signing key, and no ConfigMap carries a private key: a service that can sign tokens can
 * impersonate every caller, so a compromised pod must not find one. A service signing key
 * (SERVICE_SIGNING_KEY) reaches only services that call others, and only from a Secret.
 */
export const tokenSigningKeyIssuerOnly: StackValidationPolicy = {
  name: 'platform-token-signing-key-issuer-only',
  description:
    'Only the token issuer receives the signing key; other services get public keys only, and no ConfigMap holds a private key.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, reportViolation) => {
    for (const deployment of serviceDeployments(resources)) {
      const issuer = SIGNING_KEY in serviceDefinition(deployment.service).env.shape;
      const { literals, referenced } = providedEnv(deployment, resources);
      if (!issuer && (literals.has(SIGNING_KEY) || referenced.has(SIGNING_KEY))) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) receives ${SIGNING_KEY}, the token issuer's private key: only the issuer may sign; give it JWT_PUBLIC_KEYS instead.`,
          deployment.resource.urn,
        );
      }
      const caller = SERVICE_KEY in serviceDefinition(deployment.service).env.shape;
      if (literals.has(SERVICE_KEY) || (!caller && referenced.has(SERVICE_KEY))) {
        reportViolation(
          `${deployment.label} (service ${deployment.service}) receives ${SERVICE_KEY} ${caller ? 'as a plain value' : 'but calls no service'}: a service signing key reaches only a calling service, from its Secret.`,
          deployment.resource.urn,
        );
      }
    }
    for (const resource of resources) {
      if (resource.type !== 'kubernetes:core/v1:ConfigMap') continue;
      const data = (resource.props as { data?: Record<string, unknown> }).data ?? {};
      for (const [key, value] of Object.entries(data)) {
        if (typeof value === 'string' && PRIVATE_KEY_PEM.test(value)) {
          reportViolation(
            `ConfigMap ${resource.name} holds a private key under ${key}: put it in a Secret, or publish only the public key.`,
            resource.urn,
          );
        }
      }
    }
  },
};
