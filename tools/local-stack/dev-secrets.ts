import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

const NAMES = ['JWT_SECRET_KEY', 'TREASURY_PRIVATE_KEY', 'ENCRYPTION_KEY'] as const;
export type DevSecrets = Record<(typeof NAMES)[number], string>;

/**
 * Development-only keys, generated once into `file` (mode 0600) and reused, so tokens and
 * encrypted data survive restarts of `npm start`. Never used by a deployed stack.
 */
export async function loadDevSecrets(file: string): Promise<DevSecrets> {
  const existing = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as Partial<DevSecrets>)
    : {};
  const secrets = Object.fromEntries(
    NAMES.map((name) => [name, existing[name] ?? randomBytes(48).toString('base64url')]),
  ) as DevSecrets;
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
