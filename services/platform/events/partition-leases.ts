import type { Redis } from 'ioredis';

/** Extends a lease only if `ARGV[1]` still holds it. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Gives a lease up only if `ARGV[1]` holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

export interface PartitionLeasesOptions {
  /** A client without blocking commands in flight (it must answer within the lease). */
  readonly redis: Redis;
  readonly group: string;
  readonly topic: string;
  readonly partitions: number;
  /** This member's unique name. */
  readonly member: string;
  /** A lease not renewed within this long passes to another member. */
  readonly leaseMs: number;
}

/**
 * Which partitions of one topic this member of a consumer group owns, so that each partition
 * has one reader at a time and its records are handled in order. Members announce themselves in
 * a sorted set scored by expiry; each holds a fair share (partitions / live members, rounded
 * up) of leases `SET NX PX`, renews them on every `tick()`, and gives up what exceeds its share
 * so a member that joins gets work. A member that dies stops renewing: its leases expire and the
 * others take its partitions, with the records it left pending.
 */
export class PartitionLeases {
  /** Partitions held now. */
  readonly owned = new Set<number>();
  /** Partitions taken since the reader last looked: their pending records must be claimed first. */
  readonly taken = new Set<number>();
  /** Partitions above the fair share, to give up once the record in hand is done. */
  readonly surplus = new Set<number>();

  constructor(private readonly options: PartitionLeasesOptions) {}

  private leaseKey(partition: number): string {
    return `lease:${this.options.group}:${this.options.topic}:${partition}`;
  }

  private get membersKey(): string {
    return `members:${this.options.group}:${this.options.topic}`;
  }

  /** Renews what is held, computes the fair share, and takes or marks surplus partitions. */
  async tick(): Promise<void> {
    const { redis, member, leaseMs, partitions } = this.options;
    const [seconds, micros] = await redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const [, , [, count]] = (await redis
      .multi()
      .zadd(this.membersKey, now + leaseMs, member)
      .zremrangebyscore(this.membersKey, '-inf', now)
      .zcard(this.membersKey)
      .exec()) as [unknown, unknown, [Error | null, number]];
    const share = Math.ceil(partitions / Math.max(1, count));
    for (const partition of [...this.owned]) {
      const renewed = await redis.eval(RENEW, 1, this.leaseKey(partition), member, leaseMs);
      if (renewed !== 1) this.lose(partition);
    }
    const held = [...this.owned].sort((a, b) => a - b);
    this.surplus.clear();
    for (const partition of held.slice(share)) this.surplus.add(partition);
    // Start the search at a place of our own, so members joining together do not all race for
    // partition 0.
    const start = hashOf(member) % partitions;
    for (let i = 0; i < partitions && this.owned.size < share; i++) {
      const partition = (start + i) % partitions;
      if (this.owned.has(partition)) continue;
      const set = await redis.set(this.leaseKey(partition), member, 'PX', leaseMs, 'NX');
      if (set === 'OK') {
        this.owned.add(partition);
        this.taken.add(partition);
      }
    }
  }

  /** Gives `partition` up (after the record in hand), for another member to take. */
  async release(partition: number): Promise<void> {
    this.lose(partition);
    await this.options.redis.eval(RELEASE, 1, this.leaseKey(partition), this.options.member);
  }

  /** Gives every partition up and leaves the member set. */
  async releaseAll(): Promise<void> {
    for (const partition of [...this.owned]) await this.release(partition);
    await this.options.redis.zrem(this.membersKey, this.options.member);
  }

  private lose(partition: number): void {
    this.owned.delete(partition);
    this.taken.delete(partition);
    this.surplus.delete(partition);
  }
}

function hashOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash;
}
