import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type ServiceName, serviceDefinition, serviceNames } from '../../services/catalog.js';
import { generateSigningKey, publicKeysOf } from './jwt-key-pair.js';

const RANDOM = ['TREASURY_PRIVATE_KEY', 'ENCRYPTION_KEY'] as const;
export interface DevSecrets extends Record<(typeof RANDOM)[number], string> {
  /** The issuer's private key (the gateway's). */
  readonly JWT_SIGNING_KEY: string;
  /** Each calling service's own signing key (its `SERVICE_SIGNING_KEY`), by service name. */
  readonly SERVICE_SIGNING_KEYS: Readonly<Record<string, string>>;
  /**
   * The public halves of the issuer's and the services' keys, which every service verifies with
   * (not a secret; derived, not stored).
   */
  readonly JWT_PUBLIC_KEYS: string;
}

/** The services that call others (catalog `calls`): each gets a signing key of its own. */
const callers = () =>
  serviceNames.filter((name) => Object.keys(serviceDefinition(name).calls).length > 0);

/**
 * Development-only keys, generated once into `file` (mode 0600) and reused, so tokens and
 * encrypted data survive restarts of `npm start`. Never used by a deployed stack.
 */
export async function loadDevSecrets(file: string): Promise<DevSecrets> {
  const existing = existsSync(file)
    ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)
    : {};
  const known = (existing.SERVICE_SIGNING_KEYS ?? {}) as Record<string, string>;
  const stored = {
    JWT_SIGNING_KEY: (existing.JWT_SIGNING_KEY as string | undefined) ?? generateSigningKey(),
    ...Object.fromEntries(
      RANDOM.map((name) => [name, existing[name] ?? randomBytes(48).toString('base64url')]),
    ),
    SERVICE_SIGNING_KEYS: Object.fromEntries(
      callers().map((name) => [name, known[name] ?? generateSigningKey()]),
    ),
  } as Omit<DevSecrets, 'JWT_PUBLIC_KEYS'>;
  await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return {
    ...stored,
    JWT_PUBLIC_KEYS: await publicKeysOf(stored.JWT_SIGNING_KEY, stored.SERVICE_SIGNING_KEYS),
  };
}

/**
 * The secrets `service` is given: those its env schema names (the issuer's key reaches the
 * issuer only), its own `SERVICE_SIGNING_KEY` and no other service's, and the public key set.
 */
export function devSecretsFor(secrets: DevSecrets, service: ServiceName): Record<string, string> {
  const names = Object.keys(serviceDefinition(service).env.shape);
  const own = secrets.SERVICE_SIGNING_KEYS[service];
  return {
    ...Object.fromEntries(
      RANDOM.filter((name) => names.includes(name)).map((name) => [name, secrets[name]]),
    ),
    ...(names.includes('JWT_SIGNING_KEY') ? { JWT_SIGNING_KEY: secrets.JWT_SIGNING_KEY } : {}),
    ...(own && names.includes('SERVICE_SIGNING_KEY') ? { SERVICE_SIGNING_KEY: own } : {}),
    JWT_PUBLIC_KEYS: secrets.JWT_PUBLIC_KEYS,
  };
}
