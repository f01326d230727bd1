/** The two ledgers and their system accounts. Scales match migration 001. */
export const LEDGERS = {
  AIA: { scale: 18, number: 1 },
  AIA_GOV: { scale: 18, number: 2 },
} as const;
export type LedgerCode = keyof typeof LEDGERS;
export const LEDGER_CODES = Object.keys(LEDGERS) as LedgerCode[];

export const SYSTEM_ACCOUNT_KINDS = [
  'issuance',
  'treasury',
  'reward_pool',
  'staking',
  'fees',
] as const;
export type SystemAccountKind = (typeof SYSTEM_ACCOUNT_KINDS)[number];
export const ACCOUNT_KINDS = [...SYSTEM_ACCOUNT_KINDS, 'user', 'operating'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Longest account owner (migration 001's check); owners default to token subjects. */
export const MAX_OWNER_LENGTH = 256;

/** Owner of the system accounts: only a `treasury:admin` caller may debit them. */
export const SYSTEM_OWNER = 'system';

export const scaleOf = (ledger: LedgerCode): number => LEDGERS[ledger].scale;

/**
 * Fixed, well-known ids, the same in every environment: `00000000-0000-4000-8000-0000000LLLKK`
 * with the ledger's number and the kind's position, e.g. the AIA treasury is …000000000102.
 */
export function systemAccountId(ledger: LedgerCode, kind: SystemAccountKind): string {
  const ledgerPart = LEDGERS[ledger].number.toString(16).padStart(2, '0');
  const kindPart = (SYSTEM_ACCOUNT_KINDS.indexOf(kind) + 1).toString(16).padStart(2, '0');
  return `00000000-0000-4000-8000-00000000${ledgerPart}${kindPart}`;
}

export const systemAccountsOf = (ledger: LedgerCode): Record<SystemAccountKind, string> =>
  Object.fromEntries(
    SYSTEM_ACCOUNT_KINDS.map((kind) => [kind, systemAccountId(ledger, kind)]),
  ) as Record<SystemAccountKind, string>;

/** Id of the genesis mint of a ledger: minted once, whatever the number of replicas starting. */
export const genesisTransferId = (ledger: LedgerCode): string =>
  `00000000-0000-4000-8000-0000000${LEDGERS[ledger].number.toString(16).padStart(2, '0')}ffe`;
