import { createHash } from 'node:crypto';

/** What an `Idempotency-Key` is bound to: the method, the path and the validated request. */
export function requestFingerprint(method: string, path: string, input: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(input)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so the same body fingerprints the same however it was written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
