import * as k8s from '@pulumi/kubernetes';
import { type ResourceValidationPolicy, validateResourceOfType } from '@pulumi/policy';
import { SECRET_MARKER as PLAN_SECRET_MARKER } from '../../../tools/plan/placeholders.js';
import { REDACTED } from '../../../tools/plan/secrets.js';
import { describe } from './objects.js';

/** How a plan file shows a secret value, and what every plan secret contains before redaction. */
export { PLAN_SECRET_MARKER, REDACTED };

/**
 * A value that came from a secret: redacted as in a plan file, or, in a plan whose inputs were
 * unwrapped in process, a placeholder secret — `data` values are base64, so decoded first.
 */
function isSecretValue(field: 'data' | 'stringData', value: unknown): boolean {
  if (value === REDACTED) return true;
  if (typeof value !== 'string') return false;
  const text = field === 'data' ? Buffer.from(value, 'base64').toString('utf8') : value;
  return text.includes(PLAN_SECRET_MARKER);
}

/** `data.KEY` and `stringData.KEY` of every value that did not come from a secret. */
export function plaintextKeys(secret: {
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
}): string[] {
  return (['data', 'stringData'] as const).flatMap((field) =>
    Object.entries(secret[field] ?? {})
      .filter(([, value]) => !isSecretValue(field, value))
      .map(([key]) => `${field}.${key}`),
  );
}

/**
 * Annotation that declares, with a reason a reviewer reads, that a Secret holds no credential
 * by design (configuration an operator insists on reading from a Secret, say).
 */
export const NO_CREDENTIALS_ANNOTATION = 'aia-platform.dev/no-credentials';

/**
 * Judges plans, where secretness survives: a value built from a secret Output is `[secret]` in a
 * plan file. `pulumi preview` hands policies decrypted values, so there every value looks plain:
 * the preview's pack config should disable this rule and leave it to `npm run policy:check`.
 */
export const noPlaintextSecrets: ResourceValidationPolicy = {
  name: 'k8s-no-plaintext-secret',
  description:
    "No Secret is built from plaintext config: every data and stringData value comes from a secret Output (config.requireSecret, a generated password), which a plan file shows as '[secret]'.",
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(k8s.core.v1.Secret, (secret, args, report) => {
    const reason = secret.metadata?.annotations?.[NO_CREDENTIALS_ANNOTATION];
    if (typeof reason === 'string' && reason.trim().length >= 10) return;
    const plain = plaintextKeys(secret);
    if (plain.length === 0) return;
    report(
      `${describe('Secret', secret.metadata, args.name)} holds plaintext values in ${plain.join(', ')}: build them from secret config (config.requireSecret) or generated secrets, or move settings that are not secret to a ConfigMap.`,
    );
  }),
};
