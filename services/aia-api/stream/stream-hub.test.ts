import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../../test/harness/index.js';
import { testPublicKeys, testToken } from '../../../test/harness/jwt.js';
import { BEARER_PROTOCOL_PREFIX } from './stream-auth.js';
import {
  openClient,
  type StreamFixture,
  startStreamFixture,
  waitFor,
} from './testing/stream-fixture.js';

const redis = useTestRedis();
const TASKS = 'aia.agents.tasks.v1';
const RUNS = 'aia.ventures.runs.v1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The test's own hub (its own Redis prefix); the task `mine` is readable by `user:ada`. */
async function hub(
  options: Parameters<typeof startStreamFixture>[0] extends infer O ? Partial<O> : never = {},
) {
  const mine = randomUUID();
  const fixture = await startStreamFixture({
    redisUrl: redis.url,
    keyPrefix: `${redis.keyPrefix}${randomUUID().slice(0, 8)}:`,
    publicKeys: testPublicKeys,
    taskAccess: async (taskId, token) => taskId === mine && token.length > 0,
    ...options,
  });
  cleanups.push(() => fixture.close());
  return { fixture, mine };
}

const ada = (scope = 'agents:read') => testToken({ subject: 'user:ada', scope });

/** A task record of `taskId` (a subtask of `parent` when given). */
const taskRecord = (taskId: string, parent: string | null = null) => ({
  task_id: taskId,
  agent_id: randomUUID(),
  delegated_by: parent ? randomUUID() : null,
  parent_task_id: parent,
  skill: 'research',
  created_at: new Date().toISOString(),
});

async function connect(fixture: StreamFixture, token: string) {
  const client = await openClient(fixture.url, { token });
  cleanups.push(() => client.socket.terminate());
  return client;
}

const events = (id: string) => (m: Record<string, unknown>) =>
  m.type === 'event' && m.subscription === id;
const taskIdOf = (m: Record<string, unknown>) =>
  (m.data as { record: { task_id: string } }).record.task_id;

describe('/v1/stream: connecting', () => {
  it('refuses an upgrade without a token or with a bad one (401), and a token without stream scopes or from a foreign origin (403)', async () => {
    const { fixture } = await hub();
    const status = (options: Parameters<typeof openClient>[1]) =>
      openClient(fixture.url, options).then(
        () => 101,
        (error: { status?: number }) => error.status,
      );
    expect(await status({})).toBe(401);
    expect(await status({ token: 'not-a-jwt' })).toBe(401);
    expect(await status({ token: await testToken({ scope: 'dkg:read' }) })).toBe(403);
    expect(await status({ token: await ada(), origin: 'https://evil.example' })).toBe(403);
    expect(await status({ token: await ada() })).toBe(101);
    const refused = await fixture.registry.getSingleMetricAsString('gateway_stream_refused_total');
    expect(refused).toContain('status="401"} 2');
    expect(refused).toContain('status="403"} 2');
  });

  it('closes a connection when its token expires (4001), so access ends with the token', async () => {
    const { fixture } = await hub();
    const client = await connect(
      fixture,
      await testToken({ subject: 'user:ada', scope: 'agents:read', expiresIn: 2 }),
    );
    const lasting = await connect(fixture, await ada());
    expect(await client.closed).toEqual({ code: 4001, reason: 'token expired' });
    // The other connection, whose token lasts an hour, stays open.
    expect(lasting.socket.readyState).toBe(lasting.socket.OPEN);
  });

  it('takes a browser token from the aia.bearer subprotocol and selects aia.stream.v1, never echoing the token', async () => {
    const { fixture } = await hub();
    const token = await ada();
    const client = await openClient(fixture.url, {
      protocols: ['aia.stream.v1', `${BEARER_PROTOCOL_PREFIX}${token}`],
      origin: new URL(fixture.url.replace('ws:', 'http:')).origin,
    });
    cleanups.push(() => client.socket.terminate());
    expect(client.socket.protocol).toBe('aia.stream.v1');
    // The bearer subprotocol alone (no stream protocol offered) is not a token.
    await expect(
      openClient(fixture.url, { protocols: [`${BEARER_PROTOCOL_PREFIX}${token}`] }),
    ).rejects.toMatchObject({ status: 401 });
    expect(await fixture.registry.getSingleMetricAsString('gateway_stream_clients')).toMatch(
      / 1$/m,
    );
  });
});

describe('/v1/stream: subscriptions', () => {
  it("delivers a task's progress written to the bus (its own records and its subtasks'), nothing else", async () => {
    const { fixture, mine } = await hub();
    const client = await connect(fixture, await ada());
    client.send({ type: 'subscribe', id: 's1', topic: TASKS, filter: { task_id: mine } });
    const [subscribed] = await client.next((m) => m.type === 'subscribed');
    expect(subscribed).toMatchObject({
      id: 's1',
      topic: TASKS,
      cursor: expect.stringMatching(/^c1\./),
    });
    const child = randomUUID();
    await fixture.publish(TASKS, randomUUID(), [taskRecord(mine)]);
    await fixture.publish(TASKS, randomUUID(), [taskRecord(randomUUID())]);
    await fixture.publish(TASKS, randomUUID(), [taskRecord(child, mine)]);
    const received = await client.next(events('s1'), 2);
    expect(received.map(taskIdOf)).toEqual(
      [mine, child].filter((id) => received.some((m) => taskIdOf(m) === id)),
    );
    expect(new Set(received.map(taskIdOf))).toEqual(new Set([mine, child]));
    expect(
      received.every((m) => typeof m.cursor === 'string' && m.cursor !== subscribed?.cursor),
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.messages.filter(events('s1'))).toHaveLength(2);
  });

  it("delivers a discovery run's steps to a subscriber of that run with ventures:read", async () => {
    const { fixture } = await hub();
    const client = await connect(
      fixture,
      await testToken({ subject: 'user:ada', scope: 'ventures:read' }),
    );
    const run = randomUUID();
    client.send({ type: 'subscribe', id: 'r', topic: RUNS, filter: { run_id: run } });
    await client.next((m) => m.type === 'subscribed');
    const step = (runId: string, name: string, state = 'running') => ({
      run_id: runId,
      state,
      step: name,
      fetched: 3,
      clustered: 1,
      scored: 1,
      failed_sources: 0,
      at: new Date().toISOString(),
    });
    await fixture.publish(RUNS, run, [step(run, 'started')]);
    await fixture.publish(RUNS, randomUUID(), [step(randomUUID(), 'started')]);
    await fixture.publish(RUNS, run, [step(run, 'done', 'succeeded')]);
    const received = await client.next(events('r'), 2);
    expect(received.map((m) => (m.data as { record: { step: string } }).record.step)).toEqual([
      'started',
      'done',
    ]);
  });

  it("refuses a subscription beyond the caller's scopes, naming the scope and the field", async () => {
    const { fixture } = await hub();
    const client = await connect(fixture, await ada('agents:read'));
    client.send({ type: 'subscribe', id: 'money', topic: 'aia.ledger.transfers.v1', filter: {} });
    const [error] = await client.next((m) => m.type === 'error');
    expect(error).toEqual({
      type: 'error',
      code: 'insufficient_scope',
      detail: 'subscribing to aia.ledger.transfers.v1 needs the scope ledger:read',
      field: 'topic',
      subscription: 'money',
    });
  });

  it("refuses another sender's task, a task topic without a task_id, an unknown filter and a malformed message", async () => {
    const { fixture } = await hub();
    const client = await connect(fixture, await ada());
    client.send({ type: 'subscribe', id: 'a', topic: TASKS, filter: { task_id: randomUUID() } });
    client.send({ type: 'subscribe', id: 'b', topic: TASKS, filter: {} });
    client.send({
      type: 'subscribe',
      id: 'c',
      topic: 'aia.agents.runs.v1',
      filter: { colour: 'red' },
    });
    client.send({ type: 'subscribe', id: 42, topic: TASKS });
    const errors = await client.next((m) => m.type === 'error', 4);
    expect(errors.map((e) => [e.code, e.field])).toEqual(
      expect.arrayContaining([
        ['task_not_found', 'filter.task_id'],
        ['invalid_filter', 'filter.task_id'],
        ['invalid_filter', 'filter.colour'],
        ['invalid_message', 'id'],
      ]),
    );
  });

  it('stops sending after unsubscribe', async () => {
    const { fixture, mine } = await hub();
    const client = await connect(fixture, await ada());
    client.send({ type: 'subscribe', id: 's', topic: TASKS, filter: { task_id: mine } });
    await client.next((m) => m.type === 'subscribed');
    client.send({ type: 'unsubscribe', id: 's' });
    await client.next((m) => m.type === 'unsubscribed');
    await fixture.publish(TASKS, 'k', [taskRecord(mine)]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(client.messages.filter(events('s'))).toHaveLength(0);
  });
});

describe('/v1/stream: resume', () => {
  it('replays from the cursor after a reconnect with no gap and no duplicate, then goes live', async () => {
    const { fixture, mine } = await hub();
    const sequence = (n: number) => ({ ...taskRecord(mine), skill: `step-${n}` });
    const skillOf = (m: Record<string, unknown>) =>
      (m.data as { record: { skill: string } }).record.skill;
    const first = await connect(fixture, await ada());
    first.send({ type: 'subscribe', id: 's', topic: TASKS, filter: { task_id: mine } });
    await first.next((m) => m.type === 'subscribed');
    // Several keys: the records spread over the topic's partitions.
    for (let n = 1; n <= 3; n++) await fixture.publish(TASKS, `key-${n}`, [sequence(n)]);
    const seen = await first.next(events('s'), 3);
    const cursor = seen.at(-1)?.cursor;
    first.socket.close();
    await first.closed;
    for (let n = 4; n <= 8; n++) await fixture.publish(TASKS, `key-${n}`, [sequence(n)]);

    const second = await connect(fixture, await ada());
    second.send({
      type: 'subscribe',
      id: 's',
      topic: TASKS,
      filter: { task_id: mine },
      after: cursor,
    });
    await second.next((m) => m.type === 'subscribed');
    for (let n = 9; n <= 10; n++) await fixture.publish(TASKS, `key-${n}`, [sequence(n)]);
    const resumed = await second.next(events('s'), 7);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = second.messages.filter(events('s')).map(skillOf);
    expect(all.sort()).toEqual([4, 5, 6, 7, 8, 9, 10].map((n) => `step-${n}`).sort());
    expect(new Set(resumed.map((m) => m.cursor)).size).toBe(7);
  });

  it('says cursor_expired when events after the cursor are gone, and invalid_cursor for a made-up one', async () => {
    const { fixture, mine } = await hub();
    const client = await connect(fixture, await ada());
    client.send({ type: 'subscribe', id: 's', topic: TASKS, filter: { task_id: mine } });
    const [{ cursor } = {}] = await client.next((m) => m.type === 'subscribed');
    await fixture.publish(TASKS, 'k', [taskRecord(mine)]);
    await client.next(events('s'));
    await fixture.trim(TASKS);
    client.send({
      type: 'subscribe',
      id: 'old',
      topic: TASKS,
      filter: { task_id: mine },
      after: cursor,
    });
    client.send({
      type: 'subscribe',
      id: 'bad',
      topic: TASKS,
      filter: { task_id: mine },
      after: 'c1.eyJ4Ijox',
    });
    const errors = await client.next((m) => m.type === 'error', 2);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'cursor_expired', field: 'after', subscription: 'old' }),
        expect.objectContaining({ code: 'invalid_cursor', field: 'after', subscription: 'bad' }),
      ]),
    );
  });
});

describe('/v1/stream: slow and dead clients', () => {
  it('drops a client that does not read once its send buffer passes the limit, instead of buffering', async () => {
    const { fixture, mine } = await hub({ maxBufferedBytes: 64 * 1024, closeGraceMs: 200 });
    const client = await connect(fixture, await ada());
    client.send({ type: 'subscribe', id: 's', topic: TASKS, filter: { task_id: mine } });
    await client.next((m) => m.type === 'subscribed');
    // The client stops reading: the kernel's buffers fill, then the hub's.
    (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const record = { ...taskRecord(mine), skill: 'x'.repeat(200) };
    const dropped = async () =>
      /gateway_stream_slow_clients_dropped_total 1/.test(
        await fixture.registry.getSingleMetricAsString('gateway_stream_slow_clients_dropped_total'),
      );
    for (let batch = 0; batch < 200 && !(await dropped()); batch++)
      await fixture.publish(TASKS, `k${batch}`, Array(500).fill(record));
    await waitFor(async () => ((await dropped()) ? true : undefined));
    await waitFor(
      async () =>
        / 0$/m.test(await fixture.registry.getSingleMetricAsString('gateway_stream_clients')) ||
        undefined,
    );
  });

  it('closes a peer that stops answering heartbeat pings', async () => {
    const { fixture } = await hub({ heartbeatMs: 100 });
    const alive = await connect(fixture, await ada());
    const dead = await openClient(fixture.url, { token: await ada(), autoPong: false });
    cleanups.push(() => dead.socket.terminate());
    const { code } = await dead.closed;
    expect(code).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
    expect(
      await fixture.registry.getSingleMetricAsString('gateway_stream_dead_peers_closed_total'),
    ).toMatch(/ 1$/m);
  });
});
