import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';

/**
 * A PEM CA certificate file named by the variable `field`, read once at start.
 * @throws ConfigError naming `field` when the file cannot be read or holds no certificate: a
 * service that cannot verify its server must not start as if it could.
 */
export function readPemCa(service: string, field: string, file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(service, [{ field, reason: `cannot read ${file} (${reason})` }]);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(service, [{ field, reason: `${file} holds no PEM certificate` }]);
  }
  return pem;
}
