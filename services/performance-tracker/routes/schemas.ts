import { z } from '@hono/zod-openapi';
import { integerParam, textField } from '../../platform/request-fields.js';
import { MAX_SKILL_LENGTH } from '../domain/scope.js';
import { DEFAULT_WINDOW, WINDOW_NAMES } from '../domain/windows.js';

const query = (name: string) => ({ param: { name, in: 'query' as const } });

/** `?window=&limit=&cursor=`, shared by the paged lists. */
export const PageQuery = {
  window: z
    .enum(WINDOW_NAMES, { error: `must be one of ${WINDOW_NAMES.join(', ')}` })
    .default(DEFAULT_WINDOW)
    .openapi(query('window')),
  limit: integerParam({ min: 1, max: 200, default: 20 }).openapi(query('limit')),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be the next_cursor of a previous page of this list')
    .optional()
    .openapi(query('cursor')),
};

/** `?skill=`: a skill's id or name as the runs name it (case and surrounding blanks aside). */
export const SkillQuery = {
  skill: textField({ min: 1, max: MAX_SKILL_LENGTH })
    .refine((skill) => skill.trim().length > 0, 'must not be blank')
    .optional()
    .openapi(query('skill')),
};

export const AgentParamsSchema = z.object({
  id: z.uuid('must be an agent id (UUID)').openapi({
    param: { name: 'id', in: 'path' },
    example: '0190c6f2-3a47-7c2e-9b1d-4f5e6a7b8c9d',
  }),
});

const WindowSchema = z.object({
  name: z.enum(WINDOW_NAMES),
  from: z.string(),
  to: z
    .string()
    .openapi({ description: 'The moment the window ends: its latest run, or the last refresh' }),
  days: z.int().optional(),
  half_life_hours: z.number().optional(),
});

export const ScorecardSchema = z
  .object({
    agent_id: z.string().nullable(),
    skill: z.string().nullable(),
    window: WindowSchema,
    score: z.number().openapi({ description: 'What ranks: completion_lower_bound' }),
    runs: z.number().openapi({ description: 'Whole in sliding, sums of weights in decayed' }),
    successes: z.number(),
    failures: z.number(),
    cancelled: z.number(),
    completion_rate: z.number().nullable(),
    completion_lower_bound: z
      .number()
      .openapi({ description: 'Wilson lower bound (95 %) of successes / (successes + failures)' }),
    quality: z.object({ mean: z.number().nullable(), evaluated_runs: z.number() }),
    latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
    cost: z.object({
      total: z.string().openapi({ description: 'AIA, exact' }),
      per_success: z.string().nullable().openapi({ description: 'AIA per successful run, exact' }),
    }),
  })
  .openapi('Scorecard');

export const LeaderboardSchema = z
  .object({
    window: z.enum(WINDOW_NAMES),
    skill: z.string().nullable(),
    skill_scorecard: ScorecardSchema.nullable().optional(),
    agents: z.array(ScorecardSchema.extend({ rank: z.int() })),
    next_cursor: z.string().nullable(),
  })
  .openapi('Leaderboard');

export const AgentScorecardSchema = z
  .object({ agent_id: z.string(), overall: ScorecardSchema, skills: z.array(ScorecardSchema) })
  .openapi('AgentScorecard');

export const RankHistorySchema = z
  .object({
    agent_id: z.string(),
    window: z.enum(WINDOW_NAMES),
    skill: z.string().nullable(),
    history: z.array(
      z.object({
        rank: z.int(),
        previous_rank: z.int().nullable(),
        score: z.number(),
        recorded_at: z.string(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('RankHistory');
