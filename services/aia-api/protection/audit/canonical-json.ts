/** A JSON value as the audit chain hashes it: no undefined, no non-finite numbers. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * The JSON Canonicalization Scheme (RFC 8785) of `value`: no whitespace, object keys sorted by
 * their UTF-16 code units (JavaScript's default string order), strings and numbers serialised as
 * ECMAScript's `JSON.stringify` does (which is what the RFC specifies). The same value always
 * gives the same bytes, whatever order its keys were built in, so its hash can be recomputed by
 * anyone holding the record.
 * @throws TypeError for a number that is not finite (JSON has none).
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }); // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string')
    return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`);
  return `{${members.join(',')}}`;
}

const isArray = (value: JsonValue): value is readonly JsonValue[] => Array.isArray(value);
