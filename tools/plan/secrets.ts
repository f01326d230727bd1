import { SECRET_MARKER } from './placeholders.js';

/**
 * The engine's wire form of a secret value: `{ [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value }`.
 */
export const SECRET_SIGNATURE_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIGNATURE = '1b47061264138c4ac30d75fd1eb44270';

export const REDACTED = '[secret]';

/** True when `value` is the engine's wrapper of a secret (its signature key set to the signature). */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** Removes secret wrappers at any depth, as the engine does before policies see inputs. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, unwrapSecrets(inner)]),
    );
  }
  return value;
}

/** True when `value` is, or holds at any depth, a secret-wrapped value. */
export function holdsSecret(value: unknown): boolean {
  if (isSecretWrapper(value)) return true;
  return typeof value === 'object' && value !== null && Object.values(value).some(holdsSecret);
}

/**
 * Unwraps secrets and replaces every secret value with `[secret]`: scalars that were wrapped, and
 * any string that carries a plan placeholder (a password inside a URL, say). Structure survives,
 * so a wrapped object still shows its non-secret fields.
 */
export function redactSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) {
    const inner = value.value;
    return typeof inner === 'object' && inner !== null ? redactSecrets(inner) : REDACTED;
  }
  if (typeof value === 'string') return value.includes(SECRET_MARKER) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, redactSecrets(inner)]),
    );
  }
  return value;
}
