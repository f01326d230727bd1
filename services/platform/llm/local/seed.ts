import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text: the fingerprint every deterministic choice starts from. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A 32-bit unsigned number for one decision (`path`) under one prompt (`base`). Hashing the
 * pair, rather than drawing from one generator in sequence, keeps a value stable when an
 * unrelated part of the schema or answer changes.
 */
export const seedFor = (base: string, path: string): number =>
  Number.parseInt(sha256(`${base}\u0000${path}`).slice(0, 8), 16);
