import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { generateJwtKeyPair, publicKeysOf } from './jwt-key-pair.js';

const RANDOM = ['TREASURY_PRIVATE_KEY', 'ENCRYPTION_KEY'] as const;
export interface DevSecrets extends Record<(typeof RANDOM)[number], string> {
  /** The issuer's private key (the gateway's). */
  readonly JWT_SIGNING_KEY: string;
  /** Its public half, which every service verifies with (not a secret; derived, not stored). */
  readonly JWT_PUBLIC_KEYS: string;
}

/**
 * Development-only keys, generated once into `file` (mode 0600) and reused, so tokens and
 * encrypted data survive restarts of `npm start`. Never used by a deployed stack.
 */
export async function loadDevSecrets(file: string): Promise<DevSecrets> {
  const existing = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, string>)
    : {};
  const signingKey = existing.JWT_SIGNING_KEY ?? (await generateJwtKeyPair()).JWT_SIGNING_KEY;
  const stored = {
    JWT_SIGNING_KEY: signingKey,
    ...Object.fromEntries(
      RANDOM.map((name) => [name, existing[name] ?? randomBytes(48).toString('base64url')]),
    ),
  } as Omit<DevSecrets, 'JWT_PUBLIC_KEYS'>;
  await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { ...stored, JWT_PUBLIC_KEYS: await publicKeysOf(signingKey) };
}
