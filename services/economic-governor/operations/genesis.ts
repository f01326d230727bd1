import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import { inTransaction } from '../../platform/transactions.js';
import { parseAmount } from '../domain/amounts.js';
import {
  genesisTransferId,
  LEDGER_CODES,
  type LedgerCode,
  SYSTEM_ACCOUNT_KINDS,
  SYSTEM_OWNER,
  scaleOf,
  systemAccountId,
} from '../domain/ledgers.js';
import { insertAccounts } from '../repository/account-store.js';
import { applyOperation } from './apply-operation.js';

/** Whole tokens to mint into each treasury the first time the ledger starts. */
export type InitialSupplies = Readonly<Record<LedgerCode, string>>;

export const GENESIS_ACTOR = 'system:genesis';

/**
 * Opens the system accounts of both ledgers and mints each initial supply into its treasury,
 * once: the mint has a fixed id, so replicas starting together or a restart find it done. A
 * supply configured differently after genesis is not minted (supply changes only by an explicit
 * mint or burn): it is logged as a warning.
 */
export async function ensureGenesis(
  sql: Database,
  supplies: InitialSupplies,
  logger: Logger,
): Promise<void> {
  await inTransaction(sql, async (tx) => {
    await insertAccounts(
      tx,
      LEDGER_CODES.flatMap((ledger) =>
        SYSTEM_ACCOUNT_KINDS.map((kind) => ({
          id: systemAccountId(ledger, kind),
          ledger,
          kind,
          owner: SYSTEM_OWNER,
          // The issuance account goes negative by the supply; every other one must stay covered.
          debitsMustNotExceedCredits: kind !== 'issuance',
          creditsMustNotExceedDebits: false,
          memo: `${ledger} ${kind.replace('_', ' ')}`,
        })),
      ),
    );
    for (const ledger of LEDGER_CODES) {
      const { results } = await applyOperation(
        tx,
        { subject: GENESIS_ACTOR, admin: true },
        {
          action: 'genesis.mint',
          ledger,
          details: { supply: supplies[ledger] },
          commands: [
            {
              type: 'create',
              id: genesisTransferId(ledger),
              kind: 'mint',
              ledger,
              debitAccountId: systemAccountId(ledger, 'issuance'),
              creditAccountId: systemAccountId(ledger, 'treasury'),
              amount: parseAmount(supplies[ledger], scaleOf(ledger)),
              memo: 'genesis',
            },
          ],
        },
      );
      const [result] = results;
      if (result?.status === 'created')
        logger.info(
          { ledger, supply: supplies[ledger] },
          'genesis: initial supply minted into the treasury',
        );
      else if (result?.status === 'failed') {
        logger.warn(
          { ledger, configured: supplies[ledger], reason: result.error.detail },
          'genesis was minted with another supply; use a treasury mint or burn to change it',
        );
      }
    }
  });
}
