import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError as UpstreamUnavailableError } from '../../platform/service-client/index.js';
import { openAgentAccount } from './open-agent-account.js';

describe('openAgentAccount', () => {
  it('says why the ledger did not answer, every underscore of the reason a space', async () => {
    const governor = {
      openAccount: async () => {
        // A reason of more than two words, as the client may add one.
        throw new UpstreamUnavailableError('economic-governor', 'circuit_open_half' as never);
      },
    };
    await expect(openAgentAccount(governor as never, 'agent-1')).rejects.toMatchObject({
      status: 503,
      message: expect.stringContaining('(circuit open half)'),
    });
  });
});
