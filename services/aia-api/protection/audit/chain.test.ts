import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import {
  type AuditEntry,
  type ChainedAuditRecord,
  GENESIS_HASH,
  linkAfter,
  recordHash,
} from './chain.js';
import { describeVerdict, verifyChain } from './verify-chain.js';

const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: `user:${n % 3}`,
  action: 'POST /v1/ledger/*',
  target: `/v1/ledger/transfers/${n}`,
  request_id: `req-${n}`,
  details: { route_class: 'api' },
  occurred_at: new Date(Date.UTC(2026, 11, 3, 12, 0, n)).toISOString(),
  outcome: { status: 201, class: 'success' },
  ...overrides,
});

function chainOf(length: number): ChainedAuditRecord[] {
  const records: ChainedAuditRecord[] = [];
  for (let n = 1; n <= length; n++) {
    const last = records.at(-1);
    records.push(linkAfter(last && { seq: last.chain.seq, hash: last.chain.hash }, entry(n)));
  }
  return records;
}

async function* pagesOf(records: readonly ChainedAuditRecord[], size = 2) {
  for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
}

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every depth by UTF-16 code units and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, A: 0 })).toBe(
      '{"A":0,"a":{"c":"x","d":[true,null]},"b":1}',
    );
    // U+20AC (€) sorts before U+1F600 (a surrogate pair, 0xD83D...) in UTF-16 order.
    expect(canonicalJson({ '😀': 1, '€': 2 })).toBe('{"€":2,"😀":1}');
  });

  it('serialises strings and numbers as ECMAScript does', () => {
    expect(canonicalJson(['\u0007"\\', 1e21, 0.1, -0, 100])).toBe(
      '["\\u0007\\"\\\\",1e+21,0.1,0,100]',
    );
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('NaN has no JSON form');
  });
});

describe('the hash chain', () => {
  it('links the first record to 64 zeros and each next one to the hash before it', () => {
    const [first, second] = chainOf(2) as [ChainedAuditRecord, ChainedAuditRecord];
    expect(first.chain).toMatchObject({ name: 'aia-api', seq: 1, prev_hash: GENESIS_HASH });
    expect(second.chain).toMatchObject({ seq: 2, prev_hash: first.chain.hash });
    expect(first.chain.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the record the same whatever order its keys were built in, and differently when a field changes', () => {
    const [record] = chainOf(1) as [ChainedAuditRecord];
    const reversed = (value: object): object =>
      Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([key, inner]) => [
            key,
            inner && typeof inner === 'object' ? reversed(inner) : inner,
          ]),
      );
    const reordered = reversed(record) as ChainedAuditRecord;
    expect(Object.keys(reordered)[0]).toBe('chain');
    expect(recordHash(reordered)).toBe(record.chain.hash);
    expect(recordHash({ ...record, outcome: { status: 500, class: 'server_error' } })).not.toBe(
      record.chain.hash,
    );
    expect(
      recordHash({ ...record, chain: { ...record.chain, prev_hash: 'f'.repeat(64) } }),
    ).not.toBe(record.chain.hash);
  });

  it('proves an intact chain read in pages and reports its length and head', async () => {
    const records = chainOf(5);
    const verdict = await verifyChain(pagesOf(records));
    expect(verdict).toEqual({ intact: true, count: 5, head: records[4]?.chain.hash });
    expect(describeVerdict(verdict)).toBe(
      `chain intact: 5 records, head ${records[4]?.chain.hash}`,
    );
    expect(await verifyChain(pagesOf([]))).toEqual({ intact: true, count: 0, head: GENESIS_HASH });
  });

  it('names an altered record by seq, with the hash its contents have and the one it carries', async () => {
    const records = chainOf(5);
    const altered = { ...(records[2] as ChainedAuditRecord), actor: 'user:mallory' };
    records[2] = altered;
    const verdict = await verifyChain(pagesOf(records));
    expect(verdict).toMatchObject({
      intact: false,
      count: 2,
      broken: { seq: 3, problem: 'altered', found: altered.chain.hash },
    });
    expect(describeVerdict(verdict)).toMatch(/^chain broken at seq 3: record seq 3 was altered/);
  });

  it('names the gap a deleted record leaves', async () => {
    const records = chainOf(5);
    records.splice(3, 1);
    const verdict = await verifyChain(pagesOf(records));
    expect(verdict).toMatchObject({
      intact: false,
      count: 3,
      broken: { seq: 4, problem: 'missing', expected: 'seq 4', found: 'seq 5' },
    });
    expect(describeVerdict(verdict)).toContain('record seq 4 is missing');
  });

  it('names a record re-hashed after a change: its link to the one before no longer holds', async () => {
    const records = chainOf(4);
    // An attacker who rewrites record 2 and recomputes its hash breaks record 3's link.
    const rewritten = linkAfter(
      { seq: 1, hash: (records[0] as ChainedAuditRecord).chain.hash },
      entry(2, { actor: 'user:mallory' }),
    );
    records[1] = rewritten;
    const verdict = await verifyChain(pagesOf(records));
    expect(verdict).toMatchObject({
      intact: false,
      count: 2,
      broken: { seq: 3, problem: 'relinked', expected: rewritten.chain.hash },
    });
  });
});
