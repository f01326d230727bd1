import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562 variant) named by `name`: the SHA-256 of the name, shaped as a
 * UUID. The same name always gives the same id, so an effect keyed by it (a transfer, a task, a
 * job) happens once however often it is retried; columns typed `uuid` accept it.
 */
export function nameBasedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
