/**
 * A service's identity in tokens: `sub` and `kid` are `service:<name>`. No user subject has
 * this prefix: the verifier refuses it on tokens the issuer signs.
 */
export const SERVICE_SUBJECT_PREFIX = 'service:';

/** `agent-orchestrator` → `service:agent-orchestrator`. */
export const serviceSubject = (service: string): string => `${SERVICE_SUBJECT_PREFIX}${service}`;

/** The service a `service:<name>` subject or key id names, or undefined for anything else. */
export function serviceOf(subjectOrKeyId: unknown): string | undefined {
  if (typeof subjectOrKeyId !== 'string' || !subjectOrKeyId.startsWith(SERVICE_SUBJECT_PREFIX))
    return undefined;
  return subjectOrKeyId.slice(SERVICE_SUBJECT_PREFIX.length);
}
