import { MAX_NEIGHBOURHOOD_HOPS, MAX_PATH_HOPS } from './graph-schema.js';
import type { Properties } from './graph-store.js';

/** A call the contract refuses (a bad property, hops out of range): a programming error. */
export class GraphInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphInputError';
  }
}

const PROPERTY_KEY = /^[a-z][a-z0-9_]{0,62}$/;
/** Search uses at most this many words of the text. */
const MAX_SEARCH_WORDS = 8;

const isHomogeneousList = (value: readonly unknown[]) =>
  value.every((item) => typeof item === 'string') ||
  value.every((item) => typeof item === 'number' && Number.isFinite(item));

/** Refuses what one of the backends could not store exactly: see `PropertyValue`. */
export function checkProperties(properties: Properties): void {
  for (const [key, value] of Object.entries(properties)) {
    if (!PROPERTY_KEY.test(key)) throw new GraphInputError(`property '${key}': not snake_case`);
    if (key === 'id') throw new GraphInputError("property 'id': the node's id is not a property");
    const ok = Array.isArray(value)
      ? isHomogeneousList(value)
      : typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw new GraphInputError(`property '${key}': not a storable value`);
  }
}

/** The words search matches: runs of letters and digits, lower-cased. */
export const searchWords = (text: string): string[] =>
  (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);

export function checkHops(hops: number, kind: 'neighbourhood' | 'path'): void {
  const max = kind === 'neighbourhood' ? MAX_NEIGHBOURHOOD_HOPS : MAX_PATH_HOPS;
  if (!Number.isInteger(hops) || hops < 0 || hops > max)
    throw new GraphInputError(`hops must be an integer from 0 to ${max}`);
}
