import { Writable } from 'node:stream';
import { type Artifact, Task } from '@a2a-js/sdk';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../../../../test/harness/jwt.js';
import { useDkgServer } from '../../../../test/service-clients/dkg-server.js';
import type { Agent } from '../../domain/agent.js';
import { knowledgeGraphTool, searchWords } from './knowledge-graph-tool.js';
import { RunRefused, type RuntimeRun } from './runtime.js';

const running = useDkgServer('knowledge_graph_tool');
const orchestratorDkg = () => running.orchestratorClient();

const write = async (method: string, path: string, body: Record<string, unknown>) => {
  const token = await testToken({ subject: 'user:ada', scope: 'dkg:read dkg:write' });
  const res = await fetch(`${running.server.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { entry: { id: string } };
};

const silent = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
const runOf = (prompt: string): RuntimeRun => ({
  task: Task.fromJSON({ id: 't', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } }),
  agent: {} as Agent,
  prompt,
  budgetAia: '1',
  attempt: 0,
  signal: new AbortController().signal,
  ended: async () => false,
  logger: silent,
});

/** The artifact's JSON. */
const dataOf = (artifacts: Artifact[]) => {
  const part = artifacts[0]?.parts[0]?.content;
  if (part?.$case !== 'data') throw new Error('expected a data part');
  return part.value as {
    query: string;
    matches: { id: string; name: string }[];
    around?: { entry_id: string; nodes: { id: string }[]; edges: { type: string }[] };
  };
};

describe('the knowledge-graph tool, on a running DKG manager', () => {
  let research: string;
  let scraper: string;
  beforeAll(async () => {
    research = (
      await write('POST', '/skills', {
        name: 'Market research',
        description: 'Sizing markets and reading competitors',
      })
    ).entry.id;
    scraper = (
      await write('POST', '/tools', { name: 'Web scraper', description: 'Reads public pages' })
    ).entry.id;
    await write('PUT', '/relations', { type: 'REQUIRES', from_id: research, to_id: scraper });
  });

  it('answers the entries matching the prompt, with the relations around the best one', async () => {
    const deps = { dkg: orchestratorDkg() };
    const answer = await knowledgeGraphTool(deps, runOf('market research'));
    const data = dataOf(answer.artifacts);
    expect(data.matches.map((match) => match.id)).toEqual([research]);
    expect(data.around?.entry_id).toBe(research);
    expect(data.around?.nodes.map((node) => node.id).sort()).toEqual([research, scraper].sort());
    expect(data.around?.edges.map((edge) => edge.type)).toEqual(['REQUIRES']);
    expect(answer.costAia).toBe('0');
  });

  it('searches word by word when the whole prompt matches nothing, entries matching more words first', async () => {
    const deps = { dkg: orchestratorDkg() };
    const answer = await knowledgeGraphTool(
      deps,
      runOf('Who can do market research with a scraper for public pages?'),
    );
    const ids = dataOf(answer.artifacts).matches.map((match) => match.id);
    expect(new Set(ids)).toEqual(new Set([research, scraper]));
  });

  it('answers no matches, and no neighbourhood, for words the graph does not have', async () => {
    const deps = { dkg: orchestratorDkg() };
    const data = dataOf((await knowledgeGraphTool(deps, runOf('zzyzx qwv'))).artifacts);
    expect(data.matches).toEqual([]);
    expect(data.around).toBeUndefined();
  });

  it('is refused without a DKG manager client', async () => {
    await expect(knowledgeGraphTool({}, runOf('market'))).rejects.toBeInstanceOf(RunRefused);
  });
});

describe('the words a prompt is searched by', () => {
  it('keeps words of three or more letters or digits, once, longest first', () => {
    expect(searchWords('Do the Q3 market-research, then market it: ÉTUDE 2026!')).toEqual([
      'research',
      'market',
      'étude',
      'then',
      '2026',
      'the',
    ]);
  });
});
