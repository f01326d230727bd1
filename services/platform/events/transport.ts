import type { ReadinessCheck } from '../health.js';

/** A record as a transport carries it: the envelope's JSON, keyed for partitioning. */
export interface WireRecord {
  readonly topic: string;
  readonly key: string;
  /** The encoded envelope (`encodeEnvelope`). */
  readonly value: string;
}

/** A record as a consumer receives it, with where it came from. */
export interface Delivery extends WireRecord {
  readonly partition: number;
  /** Its position in the partition: a stream entry id (Redis) or an offset (Kafka). */
  readonly position: string;
}

export interface ConsumeOptions {
  /** The consumer group: members share the partitions, each record goes to one member. */
  readonly group: string;
  readonly topics: readonly string[];
  /**
   * Handles one record. Records of one partition come one at a time, in order; a record is
   * acknowledged once this resolves. If it rejects, or the process dies first, the record is
   * not acknowledged and is delivered again (to this member after a restart, or to the member
   * that takes its partition over).
   */
  readonly handle: (delivery: Delivery) => Promise<void>;
}

/** Where a member is: joining its group, reading, or waiting to try again after a failure. */
export type GroupMemberHealth =
  | { readonly state: 'joining' }
  | { readonly state: 'reading' }
  | { readonly state: 'failed'; readonly error: string };

/** For readiness: throws naming the members that are not reading. */
export function assertMembersReading(
  members: readonly (GroupMemberHealth & { readonly group?: string })[],
): void {
  const unwell = members.filter((health) => health.state !== 'reading');
  if (unwell.length === 0) return;
  const described = unwell.map((health) => {
    const what = health.state === 'failed' ? `failed: ${health.error}` : health.state;
    return health.group ? `${health.group} (${what})` : what;
  });
  throw new Error(`consumer group members not reading: ${described.join(', ')}`);
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** A running consumer-group member. */
export interface GroupMember {
  /** Leaves the group: the record in hand finishes, its partitions go to the other members. */
  stop(): Promise<void>;
}

/**
 * A transport with consumer groups, ordered partitions and at-least-once delivery. Kafka in the
 * stacks, Redis Streams locally; the relay and the consumers run the same code over either.
 */
export interface EventTransport {
  readonly kind: 'redis' | 'kafka';
  /**
   * Writes `records`, in order per key, and resolves once the transport holds them durably
   * (Kafka: acknowledged by all in-sync replicas). Rejects if any may not have been written:
   * the caller publishes them again (duplicates are removed by consumers).
   */
  publish(records: readonly WireRecord[]): Promise<void>;
  /** Joins `group` and delivers records of `topics` to `handle` until stopped. */
  consume(options: ConsumeOptions): Promise<GroupMember>;
  /** Resolves when the transport is reachable. */
  readonly readiness: ReadinessCheck;
  /** Stops every member this transport started, then closes its connections. */
  close(): Promise<void>;
}
