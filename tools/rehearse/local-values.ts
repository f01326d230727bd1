import { randomBytes } from 'node:crypto';
import { SECRET_MARKER } from '../plan/placeholders.js';

const PLACEHOLDER = new RegExp(`${SECRET_MARKER}[A-Za-z0-9._~-]+`, 'g');

/**
 * Replaces each secret placeholder of the plan (`plan-secret-…`, alone or inside a URL) with a
 * local random value, the same placeholder always with the same value: services share the JWT
 * key as in the stack, and a database password in a URL is the one its role is created with.
 */
export function localSecrets(): (text: string) => string {
  const values = new Map<string, string>();
  return (text) =>
    text.replace(PLACEHOLDER, (placeholder) => {
      let value = values.get(placeholder);
      if (!value) {
        // URL-safe characters: the value goes into URLs unescaped, as the placeholder did.
        value = randomBytes(30).toString('base64url');
        values.set(placeholder, value);
      }
      return value;
    });
}

/** `host:port` as the stack addresses a server → `host:port` of the local stand-in. */
export type EndpointMap = ReadonlyMap<string, string>;

/**
 * Points every `//host:port` and `@host:port` in `text` (URLs) that `endpoints` knows at the
 * local server instead. Anything else is left as the plan rendered it.
 */
export function localEndpoints(endpoints: EndpointMap): (text: string) => string {
  return (text) => {
    let result = text;
    for (const [remote, local] of endpoints) {
      result = result.replaceAll(`//${remote}`, `//${local}`).replaceAll(`@${remote}`, `@${local}`);
    }
    return result;
  };
}

/** Mount path in the container → local directory holding the same files. */
export type MountMap = ReadonlyMap<string, string>;

/** A path inside a mounted volume (an env value such as REDIS_CA_CERT_FILE) → the local file. */
export function localPaths(mounts: MountMap): (text: string) => string {
  return (text) => {
    for (const [mountPath, local] of mounts) {
      if (text === mountPath) return local;
      if (text.startsWith(`${mountPath}/`)) return local + text.slice(mountPath.length);
    }
    return text;
  };
}
