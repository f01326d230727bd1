import type { Database } from '../../platform/db.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { ALL, skillKey } from '../domain/scope.js';
import type { WindowName } from '../domain/windows.js';
import { rankHistory } from '../repository/rank-store.js';
import {
  type LeaderboardPosition,
  leaderboardPage,
  scorecardOfSkill,
  scorecardsOfAgent,
} from '../repository/scorecard-store.js';
import type { TrackerContext } from './tracker-context.js';

/**
 * Leaderboards and rank history are what the workers last computed, minutes apart: they tolerate
 * the read replica's bounded lag, and are read there while it keeps up (docs/connections.md).
 */
const lagTolerant = <T>({ sql, reads }: TrackerContext, work: (sql: Database) => Promise<T>) =>
  reads ? reads.read(work) : work(sql);

/** A page request: at most `limit` rows, after the page `cursor` ended. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

const badCursor = () =>
  new ValidationError([
    { field: 'cursor', reason: 'must be the next_cursor of a previous page of this list' },
  ]);

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
}

function positionOf(cursor: string): LeaderboardPosition {
  const value = decode(cursor);
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    typeof value[0] !== 'number' ||
    typeof value[1] !== 'number' ||
    typeof value[2] !== 'string'
  )
    throw badCursor();
  return { score: value[0], successes: value[1], agentId: value[2] };
}

/**
 * A leaderboard: the agents of `skill` (every agent, over all skills, without one) in `window`,
 * best first, each with its rank and scorecard; with a skill, the skill's own scorecard too.
 * 422 naming `cursor` for a cursor that is not this list's.
 */
export async function leaderboard(
  context: TrackerContext,
  { window, skill, limit, cursor }: PageRequest & { window: WindowName; skill?: string },
) {
  const key = skill === undefined ? ALL : (skillKey(skill) ?? ALL);
  const after = cursor === undefined ? undefined : positionOf(cursor);
  const { page, summary } = await lagTolerant(context, async (sql) => ({
    page: await leaderboardPage(sql, window, key, { limit, ...(after ? { after } : {}) }),
    summary: key === ALL ? undefined : await scorecardOfSkill(sql, window, key),
  }));
  const last = page.rows.at(-1);
  return {
    window,
    skill: key === ALL ? undefined : key,
    skillScorecard: key === ALL ? undefined : (summary ?? null),
    agents: page.rows,
    nextCursor: page.more && last ? encode([last.score, last.successes, last.agentId]) : null,
  };
}

/** An agent's scorecards in `window`: over all its skills, and per skill. 404 without runs. */
export async function agentScorecard({ sql }: TrackerContext, agentId: string, window: WindowName) {
  const rows = await scorecardsOfAgent(sql, window, agentId);
  const overall = rows.find((row) => row.skill === ALL);
  if (!overall) throw new NotFoundError(`no runs of agent ${agentId} have been taken in`);
  return { agentId, overall, skills: rows.filter((row) => row.skill !== ALL) };
}

/** An agent's rank changes in a ranking, newest first, paged. */
export async function agentRankHistory(
  context: TrackerContext,
  agentId: string,
  { window, skill, limit, cursor }: PageRequest & { window: WindowName; skill?: string },
) {
  const key = skill === undefined ? ALL : (skillKey(skill) ?? ALL);
  let before: number | undefined;
  if (cursor !== undefined) {
    const value = decode(cursor);
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw badCursor();
    before = value as number;
  }
  const page = await lagTolerant(context, (sql) =>
    rankHistory(
      sql,
      agentId,
      { window, skill: key },
      {
        limit,
        ...(before === undefined ? {} : { before }),
      },
    ),
  );
  const last = page.rows.at(-1);
  return {
    window,
    skill: key === ALL ? undefined : key,
    history: page.rows,
    nextCursor: page.more && last ? encode(last.id) : null,
  };
}
