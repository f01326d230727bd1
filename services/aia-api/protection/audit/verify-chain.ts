import { type ChainedAuditRecord, GENESIS_HASH, recordHash } from './chain.js';

/** The first place where a chain stops proving itself. */
export interface BrokenLink {
  /** The seq expected at this point of the chain. */
  readonly seq: number;
  /**
   * `missing`: a record is absent (deleted), the next one present has a later seq.
   * `relinked`: the record's prev_hash is not the previous record's hash.
   * `altered`: the record's hash is not the hash of its contents (changed after it was written).
   */
  readonly problem: 'missing' | 'relinked' | 'altered';
  readonly expected: string;
  readonly found: string;
}

/** What a walk over the chain proved. */
export type ChainVerdict =
  | { readonly intact: true; readonly count: number; readonly head: string }
  | { readonly intact: false; readonly count: number; readonly broken: BrokenLink };

/**
 * Walks a chain read in seq order (in pages, so a long chain never sits in memory whole) and
 * stops at the first record that breaks it: a gap in seq, a prev_hash that is not the previous
 * hash, or a hash that is not the record's own. `count` is the records checked before it.
 */
export async function verifyChain(
  pages: AsyncIterable<readonly ChainedAuditRecord[]>,
): Promise<ChainVerdict> {
  let count = 0;
  let previous = { seq: 0, hash: GENESIS_HASH };
  for await (const page of pages) {
    for (const record of page) {
      const broken = brokenLink(record, previous);
      if (broken) return { intact: false, count, broken };
      previous = { seq: record.chain.seq, hash: record.chain.hash };
      count += 1;
    }
  }
  return { intact: true, count, head: previous.hash };
}

function brokenLink(
  record: ChainedAuditRecord,
  previous: { seq: number; hash: string },
): BrokenLink | undefined {
  const seq = previous.seq + 1;
  if (record.chain.seq !== seq)
    return {
      seq,
      problem: 'missing',
      expected: `seq ${seq}`,
      found: `seq ${record.chain.seq}`,
    };
  if (record.chain.prev_hash !== previous.hash)
    return { seq, problem: 'relinked', expected: previous.hash, found: record.chain.prev_hash };
  const hash = recordHash(record);
  if (hash !== record.chain.hash)
    return { seq, problem: 'altered', expected: hash, found: record.chain.hash };
  return undefined;
}

/** The verdict in one line, as `npm run audit:verify` prints it. */
export function describeVerdict(verdict: ChainVerdict): string {
  if (verdict.intact) return `chain intact: ${verdict.count} records, head ${verdict.head}`;
  const { seq, problem, expected, found } = verdict.broken;
  const what = {
    missing: `record seq ${seq} is missing (deleted?)`,
    relinked: `record seq ${seq} does not link to seq ${seq - 1}: prev_hash`,
    altered: `record seq ${seq} was altered: hash`,
  }[problem];
  return `chain broken at seq ${seq}: ${what}; expected ${expected}, found ${found} (${verdict.count} records intact before it)`;
}
