import { nameBasedUuid } from '../../platform/name-based-uuid.js';

/**
 * A UUID derived from a parent id and a position: the transfers of a reward distribution get the
 * same ids every time the distribution is sent, so a resend is idempotent transfer by transfer.
 */
export const derivedId = (parent: string, index: number): string =>
  nameBasedUuid(`${parent}/${index}`);
