import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCALAR_FIELD } from '../zk/field.js';
import { proposalFieldOf } from './proposal-field.js';
import { tallyVotes } from './tally.js';

const vote = fc.record({
  choice: fc.constantFrom(0, 1, 2),
  weight: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
});

describe('tallyVotes', () => {
  it('sums each choice, passes only with the quorum met and more for than against', () => {
    fc.assert(
      fc.property(fc.array(vote), fc.bigInt({ min: 0n, max: 2n ** 66n }), (votes, quorum) => {
        const sum = (choice: number) =>
          votes.filter((v) => v.choice === choice).reduce((total, v) => total + v.weight, 0n);
        const tally = tallyVotes(votes, quorum);
        expect([tally.against, tally.for, tally.abstain]).toEqual([sum(0), sum(1), sum(2)]);
        expect(tally.total).toBe(sum(0) + sum(1) + sum(2));
        expect(tally.passed).toBe(tally.total >= quorum && sum(1) > sum(0));
      }),
    );
  });

  it('rejects a tie, and passes abstentions toward the quorum only', () => {
    const tie = tallyVotes(
      [
        { choice: 1, weight: 5n },
        { choice: 0, weight: 5n },
      ],
      1n,
    );
    expect(tie).toMatchObject({ quorumReached: true, passed: false });
    const abstained = tallyVotes(
      [
        { choice: 1, weight: 1n },
        { choice: 2, weight: 9n },
      ],
      10n,
    );
    expect(abstained).toMatchObject({ total: 10n, quorumReached: true, passed: true });
  });
});

describe('proposalFieldOf', () => {
  it('is the same for the same id, whatever its case, and an element of the scalar field', () => {
    const id = randomUUID();
    expect(proposalFieldOf(id.toUpperCase())).toBe(proposalFieldOf(id));
    expect(proposalFieldOf(id)).toBeLessThan(SCALAR_FIELD);
    expect(proposalFieldOf(randomUUID())).not.toBe(proposalFieldOf(id));
  });
});
