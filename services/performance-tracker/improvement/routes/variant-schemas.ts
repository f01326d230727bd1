import { z } from '@hono/zod-openapi';
import { integerParam, textField } from '../../../platform/request-fields.js';
import { MAX_SKILL_LENGTH } from '../../domain/scope.js';
import { FINISHED_OUTCOMES, VARIANT_KINDS } from '../domain/variant.js';

/** Settings of a settings-only variant may be at most this many bytes as JSON. */
export const MAX_SETTINGS_BYTES = 16_384;

export const RegisterVariantSchema = z
  .strictObject({
    kind: z.enum(VARIANT_KINDS, { error: `must be one of ${VARIANT_KINDS.join(', ')}` }),
    description: textField({ min: 1, max: 2000 }).refine(
      (d) => d.trim().length > 0,
      'must not be blank',
    ),
    skill: textField({ min: 1, max: MAX_SKILL_LENGTH }).openapi({
      description: 'The skill whose benchmark set judges the variant against its parent',
    }),
    variant_agent_id: z
      .uuid('must be an agent id (UUID)')
      .optional()
      .openapi({ description: "The variant's own agent (give this or settings)" }),
    settings: z
      .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
      .refine((s) => Object.keys(s).length > 0, 'must name at least one changed setting')
      .refine(
        (s) => Buffer.byteLength(JSON.stringify(s)) <= MAX_SETTINGS_BYTES,
        `must be at most ${MAX_SETTINGS_BYTES} bytes as JSON`,
      )
      .optional()
      .openapi({
        description: "The parent's settings this variant changes (give this or variant_agent_id)",
      }),
  })
  .openapi('RegisterVariant');

const uuidParam = (name: string, what: string) =>
  z.uuid(`must be ${what} (UUID)`).openapi({ param: { name, in: 'path' } });

export const AgentParams = z.object({ id: uuidParam('id', 'an agent id') });
export const VariantParams = z.object({ id: uuidParam('id', 'a variant id') });

export const VariantPageQuery = z.object({
  limit: integerParam({ min: 1, max: 200, default: 50 }).openapi({
    param: { name: 'limit', in: 'query' },
  }),
  cursor: z
    .uuid('must be the next_cursor of a previous page of this list')
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});

const StatisticSchema = z
  .object({
    test: z.string(),
    alpha: z.number(),
    tasks: z.int(),
    better: z.int(),
    worse: z.int(),
    ties: z.int(),
    p_value: z.number(),
    successes: z.object({ parent: z.int(), variant: z.int() }),
    mean_quality: z.object({ parent: z.number(), variant: z.number() }),
  })
  .openapi('ImprovementStatistic');

const SideResultSchema = z.object({
  success: z.boolean(),
  quality: z.number(),
  cost: z.string().openapi({ description: 'AIA, exact' }),
  detail: z
    .string()
    .openapi({ description: 'The answer as graded (shortened), or why the task was not done' }),
});

export const EvaluationSchema = z
  .object({
    status: z.enum(['queued', 'running', ...FINISHED_OUTCOMES]),
    benchmark: z.object({ skill: z.string(), version: z.string() }),
    attempts: z.int(),
    last_error: z.string().nullable(),
    reason: z.string().nullable(),
    statistic: StatisticSchema.nullable(),
    queued_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi('VariantEvaluation');

export const VariantSchema = z
  .object({
    id: z.string(),
    parent_agent_id: z.string(),
    kind: z.enum(VARIANT_KINDS),
    description: z.string(),
    skill: z.string(),
    variant_agent_id: z.string().nullable(),
    settings: z.record(z.string(), z.unknown()).nullable(),
    lineage: z.object({
      status: z.enum(['recorded', 'pending', 'local']),
      error: z.string().nullable(),
    }),
    created_by: z.string(),
    created_at: z.string(),
    evaluation: EvaluationSchema.nullable(),
  })
  .openapi('Variant');

export const VariantDetailSchema = VariantSchema.extend({
  tasks: z.array(
    z.object({
      task_id: z.string(),
      parent: SideResultSchema.nullable(),
      variant: SideResultSchema.nullable(),
    }),
  ),
}).openapi('VariantDetail');

export const VariantPageSchema = z
  .object({
    agent_id: z.string(),
    variants: z.array(VariantSchema),
    next_cursor: z.string().nullable(),
  })
  .openapi('VariantPage');
