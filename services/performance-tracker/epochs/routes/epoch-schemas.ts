import { z } from '@hono/zod-openapi';
import { integerParam } from '../../../platform/request-fields.js';
import { EPOCH_STATUSES } from '../repository/epoch-store.js';

/** The largest epoch number a path accepts (about 114,000 years of one-hour epochs). */
export const MAX_EPOCH = 999_999_999;
const EPOCH_NUMBER = /^\d{1,9}$/;
const epochReason = `must be an epoch number from 0 to ${MAX_EPOCH}`;

/** `{n}`: an epoch number. */
export const EpochParamsSchema = z.object({
  n: z
    .string()
    .regex(EPOCH_NUMBER, epochReason)
    .transform(Number)
    .openapi({ param: { name: 'n', in: 'path' }, example: '337' }),
});

/** `{n}` of a dry-run: an epoch number, or `current`. */
export const PreviewParamsSchema = z.object({
  n: z
    .string()
    .regex(/^(\d{1,9}|current)$/, `${epochReason}, or current`)
    .transform((text): number | 'current' => (text === 'current' ? text : Number(text)))
    .openapi({ param: { name: 'n', in: 'path' }, example: 'current' }),
});

/** `?limit=&cursor=` of the epoch list. */
export const EpochPageQuery = z.object({
  limit: integerParam({ min: 1, max: 200, default: 20 }).openapi({
    param: { name: 'limit', in: 'query' },
  }),
  cursor: z
    .string()
    .regex(EPOCH_NUMBER, 'must be the next_cursor of a previous page of this list')
    .transform(Number)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});

const aia = (description: string) =>
  z.string().openapi({ description: `AIA, exact: ${description}` });

const RuleSchema = z.object({
  epoch_hours: z.int(),
  budget: aia('what one epoch pays at most (EPOCH_REWARD_BUDGET_AIA)'),
  score_floor: z
    .number()
    .openapi({ description: 'EPOCH_SCORE_FLOOR: scores at or below earn nothing' }),
  cap_share: z
    .string()
    .openapi({ description: 'EPOCH_CAP_SHARE: the most one agent receives, of payable' }),
});

export const PayoutLineSchema = z.object({
  agent_id: z.string(),
  account_id: z
    .string()
    .nullable()
    .openapi({ description: "The agent's AIA account; null: earns nothing" }),
  runs: z.int(),
  successes: z.int(),
  failures: z.int(),
  quality_mean: z.number().nullable(),
  evaluated_runs: z.int(),
  score: z
    .number()
    .openapi({ description: 'Wilson lower bound of the completion rate x mean quality' }),
  share: z.number().openapi({ description: 'amount / payable' }),
  amount: aia('what it receives'),
  capped: z.boolean(),
});

const EpochSummaryShape = {
  epoch: z.int(),
  starts_at: z.string(),
  ends_at: z.string(),
  status: z.enum(EPOCH_STATUSES),
  built: z
    .boolean()
    .openapi({ description: 'Whether the payout table is stored (the epoch ended)' }),
  distribution_id: z.string().nullable(),
  rule: RuleSchema.nullable(),
  pool_balance: aia('the reward pool when the table was built').nullable(),
  payable: aia('min(budget, pool balance)').nullable(),
  cap_amount: aia('payable x cap share').nullable(),
  total: aia('sum of the amounts').nullable(),
  held: z.object({ by: z.string().nullable(), at: z.string().nullable() }).nullable(),
  paid_at: z.string().nullable(),
  refusal: z.object({ code: z.string(), detail: z.string().nullable() }).nullable(),
  attempts: z.int(),
  last_error: z.string().nullable(),
};

export const EpochSummarySchema = z.object(EpochSummaryShape).openapi('EpochSummary');

export const EpochPageSchema = z
  .object({ epochs: z.array(EpochSummarySchema), next_cursor: z.string().nullable() })
  .openapi('EpochPage');

export const PayoutTableSchema = z
  .object({ ...EpochSummaryShape, payouts: z.array(PayoutLineSchema) })
  .openapi('PayoutTable');

export const PayoutPreviewSchema = z
  .object({
    ...EpochSummaryShape,
    dry_run: z.literal(true),
    payouts: z.array(PayoutLineSchema),
  })
  .openapi('PayoutPreview');
