import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) derived from a parent id and a position: the transfers of a
 * reward distribution get the same ids every time the distribution is sent, so a resend is
 * idempotent transfer by transfer.
 */
export function derivedId(parent: string, index: number): string {
  const hex = createHash('sha256').update(`${parent}/${index}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
