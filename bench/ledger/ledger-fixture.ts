import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { signToken } from '../../tools/local-stack/sign-token.js';
import {
  MAX_BATCH,
  openAccount,
  postBatch,
  readTreasuryId,
  type TransferInput,
} from './ledger-api.js';

/** Accounts and tokens the load runs with. */
export interface LedgerFixture {
  /** Funded AIA user accounts, all owned by the load token's subject. */
  readonly accountIds: readonly string[];
  /** Subject `bench`, scope `ledger:write` only: what a client of the ledger would hold. */
  readonly loadToken: string;
}

/** Options of `prepareLedgerFixture`. */
export interface LedgerFixtureOptions {
  readonly origin: URL;
  /** The issuer key the services' JWT_PUBLIC_KEYS publish. */
  readonly jwtSigningKey: string;
  /** How many user accounts to open. */
  readonly accounts: number;
  /** Tokens credited to each account from the treasury, a decimal string. */
  readonly funding: string;
  /** Account openings in flight at once. */
  readonly concurrency: number;
  readonly onProgress?: (message: string) => void;
}

const SUBJECT = 'bench';

/**
 * Opens `accounts` AIA accounts owned by `bench` and funds each from the treasury, with an admin
 * token (`treasury:admin` may debit the treasury). Many accounts and random pairs spread the
 * writes as pgbench at scale 16 spreads its updates over 16 branches and 1.6 million accounts:
 * neither benchmark measures a single hot row.
 */
export async function prepareLedgerFixture(options: LedgerFixtureOptions): Promise<LedgerFixture> {
  const { origin, jwtSigningKey } = options;
  const adminToken = await signToken({
    signingKey: jwtSigningKey,
    subject: SUBJECT,
    scope: 'ledger:read ledger:write treasury:admin',
    expiresIn: '2h',
  });
  const loadToken = await signToken({
    signingKey: jwtSigningKey,
    subject: SUBJECT,
    scope: 'ledger:write',
    expiresIn: '2h',
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const treasuryId = await readTreasuryId(agent, origin, adminToken);
    const wanted = Array.from({ length: options.accounts }, () => randomUUID());
    const accountIds: string[] = [];
    let nextIndex = 0;
    const opener = async (): Promise<void> => {
      for (let id = wanted[nextIndex++]; id !== undefined; id = wanted[nextIndex++]) {
        accountIds.push(await openAccount(agent, origin, adminToken, id));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, opener));
    options.onProgress?.(`opened ${accountIds.length} accounts`);

    for (let start = 0; start < accountIds.length; start += MAX_BATCH) {
      const funding = accountIds.slice(start, start + MAX_BATCH).map(
        (id): TransferInput => ({
          ledger: 'AIA',
          debit_account_id: treasuryId,
          credit_account_id: id,
          amount: options.funding,
        }),
      );
      const outcome = await postBatch(agent, origin, adminToken, funding);
      if (outcome.failed > 0 || outcome.created !== funding.length) {
        throw new Error(
          `funding the accounts from the treasury: ${outcome.created} created, ${outcome.failed} failed of ${funding.length}; first failure: ${outcome.firstFailure ?? 'none reported'}`,
        );
      }
    }
    options.onProgress?.(`funded each with ${options.funding} AIA from the treasury`);
    return { accountIds, loadToken };
  } finally {
    agent.destroy();
  }
}

/** A transfer of `amount` between two distinct accounts drawn at random from `accountIds`. */
export function randomTransfer(accountIds: readonly string[], amount: string): TransferInput {
  // Math.random, not crypto: this runs once per request in the load generator's hot loop.
  const debit = Math.floor(Math.random() * accountIds.length);
  // Drawing from the n - 1 others and skipping over the debit keeps the pair distinct and uniform.
  const other = Math.floor(Math.random() * (accountIds.length - 1));
  const credit = other >= debit ? other + 1 : other;
  return {
    ledger: 'AIA',
    debit_account_id: accountIds[debit] as string,
    credit_account_id: accountIds[credit] as string,
    amount,
  };
}
