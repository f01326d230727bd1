import { z } from '@hono/zod-openapi';
import { integerParam, textField } from '../../platform/request-fields.js';
import { COMPONENTS } from '../domain/weights.js';
import { SORT_COLUMNS } from '../repository/opportunity-store.js';

const query = (name: string) => ({ param: { name, in: 'query' as const } });
const ratio = (name: string) =>
  z
    .string()
    .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .optional()
    .openapi(query(name));

export const IdParams = z.object({
  id: z.uuid('must be an id (UUID)').openapi({ param: { name: 'id', in: 'path' } }),
});

export const PageQuery = {
  limit: integerParam({ min: 1, max: 200, default: 20 }).openapi(query('limit')),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be the next_cursor of a previous page of this list')
    .optional()
    .openapi(query('cursor')),
};

const FieldName = textField({ min: 1, max: 200 });

/** Where an item's parts are in a JSON document or a CSV file. */
export const MappingSchema = z
  .strictObject({
    items: FieldName.optional(),
    title: FieldName.optional(),
    text: FieldName.optional(),
    url: FieldName.optional(),
    published_at: FieldName.optional(),
  })
  .openapi('FieldMapping');

/** A source's settings: limits default to a polite fetch of 5 MB within 10 s at most hourly. */
export const SourceBodySchema = z
  .strictObject({
    name: textField({ min: 1, max: 200 }),
    kind: z.enum(['feed', 'json', 'csv', 'upload', 'sample', 'events'], {
      error:
        'must be feed (RSS or Atom), json, csv, upload, sample or events (a topic of the event bus)',
    }),
    url: textField({ min: 1, max: 2_000 }).nullable().default(null),
    mapping: MappingSchema.default({}),
    interval_seconds: z.number().int().min(60).max(2_592_000).default(3_600),
    max_bytes: z.number().int().min(1_024).max(52_428_800).default(5_242_880),
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
    min_interval_seconds: z.number().int().min(0).max(86_400).default(300),
    enabled: z.boolean().default(true),
  })
  .openapi('SourceSettings');

export const SourceUpdateSchema = SourceBodySchema.omit({ kind: true }).openapi('SourceUpdate');

export const SourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    url: z.string().nullable(),
    mapping: z.record(z.string(), z.string()),
    interval_seconds: z.number(),
    max_bytes: z.number(),
    timeout_ms: z.number(),
    min_interval_seconds: z.number(),
    enabled: z.boolean(),
    last_fetched_at: z.string().nullable(),
    last_attempted_at: z
      .string()
      .nullable()
      .openapi({ description: 'when a run last tried to read it, successfully or not' }),
    consecutive_failures: z.number().openapi({
      description:
        'failed reads since its last successful one (each doubles its interval, up to a day)',
    }),
    created_at: z.string(),
  })
  .openapi('Source');

export const SourcePageSchema = z
  .object({ items: z.array(SourceSchema), next_cursor: z.string().nullable() })
  .openapi('SourcePage');

export const RunRequestSchema = z
  .strictObject({
    source_ids: z.array(z.uuid('must be a source id (UUID)')).min(1).max(100).optional(),
  })
  .openapi('RunRequest');

const SourceProgressSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  fetched: z.number(),
  accepted: z.number(),
  unchanged: z.boolean(),
  failures: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const RunSchema = z
  .object({
    id: z.string(),
    trigger: z.string(),
    state: z.enum(['queued', 'running', 'succeeded', 'failed']),
    step: z.string(),
    attempts: z.number(),
    progress: z.object({
      fetched: z.number(),
      accepted: z.number(),
      clustered: z.number(),
      scored: z.number(),
      published: z.number(),
    }),
    sources: z.array(SourceProgressSchema),
    weights: z
      .object({
        used: z.record(z.string(), z.number()),
        configured: z.record(z.string(), z.number()),
        changes: z.record(z.string(), z.object({ from: z.number(), to: z.number() })),
      })
      .nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi('Run');

export const RunPageSchema = z
  .object({ items: z.array(RunSchema), next_cursor: z.string().nullable() })
  .openapi('RunPage');

export const RunListQuery = z.object(PageQuery);

export const OpportunityQuery = z.object({
  min_score: ratio('min_score'),
  ...Object.fromEntries(COMPONENTS.map((c) => [`min_${c}`, ratio(`min_${c}`)])),
  run_id: z.uuid('must be a run id (UUID)').optional().openapi(query('run_id')),
  status: z
    .enum(['open', 'accepted', 'rejected'], { error: 'must be open, accepted or rejected' })
    .optional()
    .openapi(query('status')),
  sort: z
    .enum(SORT_COLUMNS, { error: `must be one of ${SORT_COLUMNS.join(', ')}` })
    .default('score')
    .openapi(query('sort')),
  ...PageQuery,
});

const ComponentSchema = z.object({
  name: z.string(),
  value: z.number(),
  weight: z.number(),
  contribution: z.number(),
  explanation: z.string(),
  neutral: z.boolean(),
});

export const OpportunitySummarySchema = z
  .object({
    id: z.string(),
    run_id: z.string().openapi({
      description: 'the run that last scored it (its score and evidence are that run’s)',
    }),
    title: z.string(),
    summary: z.string(),
    themes: z.array(z.string()),
    score: z.number(),
    components: z.record(z.string(), z.number()),
    status: z.string(),
    published: z.boolean(),
    created_at: z.string().openapi({ description: 'when a run first found its theme' }),
    updated_at: z.string().openapi({ description: 'when a run last scored it' }),
  })
  .openapi('OpportunitySummary');

export const OpportunityPageSchema = z
  .object({ items: z.array(OpportunitySummarySchema), next_cursor: z.string().nullable() })
  .openapi('OpportunityPage');

const ModelOriginFields = {
  model: z
    .string()
    .openapi({ description: 'provider:model that wrote it, e.g. openai:gpt-4.1-mini' }),
  local: z.boolean().openapi({ description: 'true when the local model answered (synthetic)' }),
};

const AssistanceSchema = z
  .object({
    summary: z.object({ text: z.string(), ...ModelOriginFields }).nullable(),
    entities: z
      .object({
        items: z.array(z.object({ name: z.string(), kind: z.string() })),
        themes: z.array(z.string()),
        ...ModelOriginFields,
      })
      .nullable(),
  })
  .openapi('OpportunityAssistance', {
    description:
      'What a language model added (DISCOVERY_LLM_ASSIST): a summary, and entities and themes named in the signals; null parts are deterministic only. Scores never come from a model.',
  });

export const OpportunitySchema = OpportunitySummarySchema.extend({
  entities: z.array(z.object({ name: z.string(), kind: z.string() })),
  assistance: AssistanceSchema,
  breakdown: z.array(ComponentSchema),
  evidence: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      url: z.string().nullable(),
      published_at: z.string(),
      source: z.object({ id: z.string(), name: z.string() }),
    }),
  ),
}).openapi('Opportunity');

export const FeedbackBodySchema = z
  .strictObject({
    verdict: z.enum(['accept', 'reject'], { error: 'must be accept or reject' }),
    reason: textField({ min: 1, max: 2_000 }),
  })
  .openapi('Feedback');

export const FeedbackSchema = z
  .object({
    id: z.string(),
    opportunity_id: z.string(),
    verdict: z.string(),
    reason: z.string(),
    given_by: z.string().nullable().openapi({
      description: "the caller's subject (null for feedback kept before subjects were)",
    }),
    created_at: z.string(),
  })
  .openapi('FeedbackRecorded');
