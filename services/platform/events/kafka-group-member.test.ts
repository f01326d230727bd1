import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka';
import { roundRobinAssigner } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { until } from '../../../test/events/fixtures.js';
import { subscribedTopicsAssigner } from './kafka-assigner.js';
import { type GroupMessage, type GroupSession, KafkaGroupMember } from './kafka-group-member.js';
import type { Delivery } from './transport.js';

/**
 * A group session fed by the test, standing in for a joined consumer and its stream (Kafka does
 * not run here): `push` a record, `fail` the stream as the client does when a commit is refused.
 */
class ScriptedSession implements GroupSession {
  readonly committed: string[] = [];
  closed = false;
  private readonly queue: (GroupMessage | Error)[] = [];
  private notify: () => void = () => {};

  constructor(readonly topics: readonly string[]) {}

  push(topic: string, offset: number, { commitFails = false } = {}): void {
    this.queue.push({
      topic,
      partition: 0,
      offset: BigInt(offset),
      key: `k${offset}`,
      value: `${topic}@${offset}`,
      commit: async () => {
        if (commitFails) throw new Error('the group is rebalancing: rejoin needed');
        this.committed.push(`${topic}@${offset}`);
      },
    });
    this.notify();
  }

  fail(error: Error): void {
    this.queue.push(error);
    this.notify();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
  }

  get messages(): AsyncIterable<GroupMessage> {
    return this.iterate();
  }

  private async *iterate(): AsyncGenerator<GroupMessage> {
    while (!this.closed) {
      const next = this.queue.shift();
      if (next instanceof Error) throw next;
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.notify = resolve;
      });
    }
  }
}

/** A member whose sessions the test sees; `refuse` joins fail (an unreachable broker). */
function scriptedMember() {
  const sessions: ScriptedSession[] = [];
  const handled: string[] = [];
  const control = { refuse: 0, hang: false };
  const member = new KafkaGroupMember({
    group: 'performance-tracker',
    backoff: { initialMs: 10, maxMs: 20 },
    handlerRetryMs: 10,
    open: async (topics, signal) => {
      if (control.hang) {
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('closed while joining'))),
        );
      }
      if (control.refuse > 0) {
        control.refuse--;
        throw new Error('connect ECONNREFUSED 10.0.0.1:9093');
      }
      const session = new ScriptedSession(topics);
      sessions.push(session);
      return session;
    },
  });
  const handler = async (delivery: Delivery) => {
    handled.push(delivery.value);
  };
  const last = () => sessions.at(-1) as ScriptedSession;
  return { member, sessions, handled, handler, control, last };
}

describe('KafkaGroupMember', () => {
  it('reads every subscribed topic in one membership and hands each record to its topic', async () => {
    const { member, sessions, handled, last } = scriptedMember();
    const seen: Record<string, string[]> = { a: [], b: [] };
    member.add('aia.ledger.transfers.v1', async (d) => void seen.a?.push(d.value));
    member.add('aia.agents.runs.v1', async (d) => void seen.b?.push(d.value));
    try {
      await until('the member is reading', () => member.health().state === 'reading');
      expect(sessions).toHaveLength(1);
      expect(last().topics).toEqual(['aia.agents.runs.v1', 'aia.ledger.transfers.v1']);
      last().push('aia.ledger.transfers.v1', 1);
      last().push('aia.agents.runs.v1', 2);
      await until('both records were handled', () => last().committed.length === 2);
      expect(seen).toEqual({ a: ['aia.ledger.transfers.v1@1'], b: ['aia.agents.runs.v1@2'] });
      expect(handled).toEqual([]);
    } finally {
      await member.close();
    }
    expect(sessions.every((session) => session.closed)).toBe(true);
  });

  it('rejoins with the remaining topics when one is removed, and refuses a topic twice', async () => {
    const { member, sessions, handler, last } = scriptedMember();
    member.add('aia.ledger.transfers.v1', handler);
    member.add('aia.agents.runs.v1', handler);
    try {
      expect(() => member.add('aia.agents.runs.v1', handler)).toThrow(/already consumed/);
      await until('the member is reading', () => member.health().state === 'reading');
      await member.remove('aia.agents.runs.v1');
      await until('a new membership is reading', () => sessions.length === 2);
      expect(sessions[0]?.closed).toBe(true);
      expect(last().topics).toEqual(['aia.ledger.transfers.v1']);
    } finally {
      await member.close();
    }
  });

  it('closes a membership whose stream failed, reports it, and joins again to read on', async () => {
    const { member, sessions, handled, handler, last } = scriptedMember();
    member.add('aia.ledger.transfers.v1', handler);
    try {
      await until('the member is reading', () => member.health().state === 'reading');
      const first = last();
      first.push('aia.ledger.transfers.v1', 1, { commitFails: true });
      await until('a second membership is reading', () => sessions.length === 2);
      expect(first.closed).toBe(true);
      expect(first.committed).toEqual([]);
      // The uncommitted record comes again in the new membership and is committed there.
      last().push('aia.ledger.transfers.v1', 1);
      await until('the record was committed', () => last().committed.length === 1);
      expect(handled).toEqual(['aia.ledger.transfers.v1@1', 'aia.ledger.transfers.v1@1']);
      expect(member.health()).toEqual({ state: 'reading' });

      last().fail(new Error('Stream destroyed'));
      await until('a third membership is reading', () => sessions.length === 3);
      expect(sessions[1]?.closed).toBe(true);
    } finally {
      await member.close();
    }
  });

  it('starts without the broker: adding returns at once, health says failed until a join succeeds', async () => {
    const { member, sessions, handler, control } = scriptedMember();
    control.refuse = Number.POSITIVE_INFINITY;
    member.add('aia.ledger.transfers.v1', handler);
    try {
      expect(sessions).toHaveLength(0);
      await until('the failure is reported', () => member.health().state === 'failed');
      expect(member.health()).toEqual({
        state: 'failed',
        error: 'connect ECONNREFUSED 10.0.0.1:9093',
      });
      control.refuse = 0;
      await until('the member is reading', () => member.health().state === 'reading');
      expect(control.refuse).toBe(0);
      expect(sessions).toHaveLength(1);
    } finally {
      await member.close();
    }
  });

  it('closes while a join hangs', async () => {
    const { member, handler, control } = scriptedMember();
    control.hang = true;
    member.add('aia.ledger.transfers.v1', handler);
    await until('the member is joining', () => member.health().state === 'joining');
    await member.close();
    expect(member.health()).toEqual({ state: 'failed', error: 'closed' });
  });
});

describe('subscribedTopicsAssigner', () => {
  const metadata = {
    topics: new Map([
      ['a', { partitionsCount: 4 }],
      ['b', { partitionsCount: 2 }],
    ]),
  } as unknown as ClusterMetadata;
  const members = new Map<string, ExtendedGroupProtocolSubscription>([
    ['m1', { memberId: 'm1', version: 0, topics: ['a', 'b'] }],
    ['m2', { memberId: 'm2', version: 0, topics: ['a'] }],
  ]);
  const owned = (assignments: ReturnType<typeof subscribedTopicsAssigner>) =>
    Object.fromEntries(
      assignments.map(({ memberId, assignments: topics }) => [
        memberId,
        Object.fromEntries([...topics.values()].map((t) => [t.topic, t.partitions])),
      ]),
    );

  it("gives a topic's partitions only to members that subscribed to it, evenly", () => {
    const result = owned(subscribedTopicsAssigner('m1', members, new Set(['a', 'b']), metadata));
    expect(result.m2?.b).toBeUndefined();
    expect(result.m1?.b).toEqual([0, 1]);
    expect([...(result.m1?.a ?? []), ...(result.m2?.a ?? [])].sort()).toEqual([0, 1, 2, 3]);
    // Three partitions each: m1 reads b's two and one of a.
    expect(result.m1?.a).toHaveLength(1);
    expect(result.m2?.a).toHaveLength(3);
  });

  it('where the round-robin assigner gives a member partitions it does not read', () => {
    const result = owned(roundRobinAssigner('m1', members, new Set(['a', 'b']), metadata));
    expect(result.m2?.b).toBeDefined();
  });
});
