import { randomBytes } from 'node:crypto';
import { newSecret } from './secrets.js';

/**
 * API keys are `aia_<id>_<secret>`: the prefix lets secret scanners (and the gateway) recognise
 * one, the id (16 hex digits) finds its row without a scan, the secret (43 base64url characters,
 * 256 bits) proves it.
 */
const API_KEY = /^aia_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export const API_KEY_PREFIX = 'aia_';

const ID_BYTES = 8;

/** A new key: its id and the whole key to show once. */
export function newApiKey(): {
  readonly id: string;
  readonly secret: string;
  readonly key: string;
} {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = newSecret();
  return { id, secret, key: `${API_KEY_PREFIX}${id}_${secret}` };
}

/** Whether a bearer credential is meant as an API key (whether or not it is well formed). */
export const looksLikeApiKey = (credential: string): boolean =>
  credential.startsWith(API_KEY_PREFIX);

/** The id and secret of a well-formed key, or undefined. */
export function parseApiKey(
  key: string,
): { readonly id: string; readonly secret: string } | undefined {
  const match = API_KEY.exec(key);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}
