import { describe, expect, it } from 'vitest';
import { expectAtTarget } from './expectations.js';
import type { TransferRow } from './ledger-rows.js';
import type { WalCommit } from './wal-archive.js';

const row = (id: string, xid: number, committedUs: bigint): TransferRow => ({
  id,
  kind: 'transfer',
  ledger: 'AIA',
  debitAccountId: 'a',
  creditAccountId: 'b',
  amount: '1',
  xid,
  committedUs,
});
const commit = (xid: number, lsn: bigint, committedUs: bigint): WalCommit => ({
  kind: 'commit',
  xid,
  xids: [xid],
  lsn,
  committedUs,
});

describe('expectAtTarget', () => {
  const target = 1_000n;
  const transfers = [
    row('early', 1, 500n), // committed before the target's position: not in `commits`
    row('on-target', 2, 1_000n),
    row('late', 3, 1_001n),
    row('stamped-before-written-after', 4, 999n),
  ];
  const commits = [commit(2, 10n, 1_000n), commit(3, 20n, 1_001n), commit(4, 30n, 999n)];

  it('keeps commits stamped at the target (inclusive) and stops before the first stamped after it', () => {
    const expected = expectAtTarget(transfers, commits, target);
    expect([...expected.recovered].sort()).toEqual(['early', 'on-target']);
    expect(expected.stop?.xid).toBe(3);
    expect(expected.lastRecovered?.xid).toBe(2);
  });

  it('leaves out a commit stamped before the target whose record follows the stopping point', () => {
    const expected = expectAtTarget(transfers, commits, target);
    expect(expected.recovered.has('stamped-before-written-after')).toBe(false);
    expect([...expected.stampedBeforeButAfterStop]).toEqual(['stamped-before-written-after']);
  });

  it('stops at an abort record stamped after the target as at a commit', () => {
    const abort: WalCommit = { kind: 'abort', xid: 9, xids: [9], lsn: 15n, committedUs: 1_002n };
    const expected = expectAtTarget(
      transfers,
      [commits[0], abort, ...commits.slice(1)] as WalCommit[],
      target,
    );
    expect(expected.stop?.kind).toBe('abort');
    expect([...expected.recovered].sort()).toEqual(['early', 'on-target']);
  });

  it('recovers everything when no commit after the target position is stamped after it', () => {
    const expected = expectAtTarget(transfers.slice(0, 2), commits.slice(0, 1), target);
    expect(expected.recovered.size).toBe(2);
    expect(expected.stop).toBeUndefined();
  });
});
