import { testToken } from '../../../test/harness/jwt.js';
import { economicGovernorClient } from '../../economic-governor/client.js';
import { serviceTransport } from '../../platform/service-client/index.js';

/**
 * A treasury administrator's ledger client on the governor at `governorUrl`: funds agents'
 * accounts from the treasury and reads balances, as a person with a tool would.
 */
export function ledgerAdmin(governorUrl: string) {
  const client = economicGovernorClient(
    serviceTransport({
      service: 'economic-governor',
      baseUrl: governorUrl,
      scopes: [],
      tokens: () =>
        testToken({ subject: 'treasurer', scope: 'ledger:read ledger:write treasury:admin' }),
    }),
  );
  return {
    client,
    /** Moves `amount` AIA from the treasury to `accountId`. */
    fund: async (accountId: string, amount: string) => {
      const [aia] = (await client.ledgers()).filter((ledger) => ledger.code === 'AIA');
      await client.transfer({
        ledger: 'AIA',
        debit_account_id: aia?.system_accounts.treasury as string,
        credit_account_id: accountId,
        amount,
      });
    },
  };
}
