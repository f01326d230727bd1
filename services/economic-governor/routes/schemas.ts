import { z } from '@hono/zod-openapi';
import { integerParam, textField } from '../../platform/request-fields.js';
import { AMOUNT_PATTERN } from '../domain/amounts.js';
import { ACCOUNT_KINDS, LEDGER_CODES, MAX_OWNER_LENGTH } from '../domain/ledgers.js';
import { TRANSFER_KINDS } from '../domain/types.js';

/** At most this many transfers (or rewards) in one request, all in one transaction. */
export const MAX_BATCH = 8_000;
/** A pending transfer may reserve funds for at most 30 days. */
export const MAX_PENDING_TIMEOUT_SECONDS = 2_592_000;

/** A custom reason for a bad value, while a missing one still says `required`. */
const unlessMissing =
  (reason: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'required' : reason;

export const LedgerCodeSchema = z
  .enum(LEDGER_CODES, { error: unlessMissing(`must be one of ${LEDGER_CODES.join(', ')}`) })
  .openapi({ example: 'AIA' });
/** Lower-cased: the form PostgreSQL returns, so ids compare equal however a client wrote them. */
export const IdSchema = z
  .uuid({ error: unlessMissing('must be a UUID') })
  .overwrite((id) => id.toLowerCase())
  .openapi({ example: '0195f7a4-3c1e-4b7a-9d2e-8f6a1b2c3d4e' });
/**
 * Format and size here (so the OpenAPI document shows them); the ledger's scale and positivity are
 * checked with the ledger. An empty string is malformed like any other, never "absent".
 */
export const AmountSchema = z
  .string({
    error: unlessMissing(
      'must be a string of decimal digits, for example "12.5" (JSON numbers would lose precision)',
    ),
  })
  .max(60, 'is too long: at most 20 digits, a point and 18 decimals')
  // The format here; the number of decimals and the range are checked with the ledger's scale,
  // so each gets its own reason. The document states the whole rule as the pattern.
  .regex(
    /^\d+(?:\.\d+)?$/,
    'is not a decimal number of tokens (digits, optionally a point and more digits; no sign, exponent or spaces), for example "12.5"',
  )
  .openapi({
    example: '12.5',
    pattern: AMOUNT_PATTERN.source,
    maxLength: 39,
    description:
      'Tokens as a decimal string: at most 20 whole digits and 18 decimal places, greater than zero',
  });
/** Leave a memo out for none: an empty one would read back as absent. */
const MemoSchema = textField({ min: 1, max: 256 }).openapi({
  description:
    'Free text, 1-256 characters; text with NUL or an unpaired UTF-16 surrogate is refused (422), never stored altered',
});

export const IdParamsSchema = z.object({
  id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }),
});
export const LedgerParamsSchema = z.object({
  ledger: LedgerCodeSchema.openapi({ param: { name: 'ledger', in: 'path' } }),
});

const MAX_BIGINT = 2n ** 63n - 1n;

export const PageQuerySchema = z.object({
  limit: integerParam({ min: 1, max: 500, default: 50 }).openapi({
    param: { name: 'limit', in: 'query' },
    example: '50',
    description: 'Decimal digits, 1 to 500 (default 50)',
  }),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'must be the next_cursor of a previous page')
    .refine(
      (cursor) => !/^\d+$/.test(cursor) || BigInt(cursor) <= MAX_BIGINT,
      'must be the next_cursor of a previous page',
    )
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});

export const OpenAccountSchema = z
  .strictObject({
    id: IdSchema.optional(),
    ledger: LedgerCodeSchema,
    kind: z.enum(['user', 'operating']).default('user'),
    owner: textField({ min: 1, max: MAX_OWNER_LENGTH })
      .optional()
      .openapi({ description: "Default the caller's subject; another owner needs treasury:admin" }),
    flags: z
      .strictObject({
        debits_must_not_exceed_credits: z.boolean().default(true),
        credits_must_not_exceed_debits: z.boolean().default(false),
      })
      .default({ debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false }),
    memo: MemoSchema.optional(),
  })
  .openapi('OpenAccount');

export const NewTransferSchema = z
  .strictObject({
    id: IdSchema.optional().openapi({
      description: 'Client-chosen id: sending it again is idempotent',
    }),
    ledger: LedgerCodeSchema,
    debit_account_id: IdSchema,
    credit_account_id: IdSchema,
    amount: AmountSchema,
    memo: MemoSchema.optional(),
    pending: z
      .strictObject({
        timeout_seconds: z
          .int()
          .min(1)
          .max(MAX_PENDING_TIMEOUT_SECONDS)
          .optional()
          .openapi({ description: 'Released by itself after this long unless posted or voided' }),
      })
      .optional()
      .openapi({ description: 'Reserve the amount (two-phase) instead of moving it' }),
  })
  .openapi('NewTransfer');

export const ResolvePendingSchema = z
  .strictObject({
    id: IdSchema.optional(),
    amount: AmountSchema.optional().openapi({
      description: 'Post only: part of the pending amount (default all of it)',
    }),
    memo: MemoSchema.optional(),
  })
  .openapi('ResolvePending');

/** One entry of a batch: a new transfer (the default type), or a post or void of a pending one. */
export const BatchItemSchema = z
  .strictObject({
    type: z.enum(['transfer', 'post', 'void']).default('transfer'),
    id: IdSchema.optional(),
    ledger: LedgerCodeSchema.optional(),
    debit_account_id: IdSchema.optional(),
    credit_account_id: IdSchema.optional(),
    amount: AmountSchema.optional(),
    pending: NewTransferSchema.shape.pending,
    pending_id: IdSchema.optional(),
    memo: MemoSchema.optional(),
    linked: z
      .boolean()
      .default(false)
      .openapi({ description: 'Succeeds or fails together with the next entry' }),
  })
  .superRefine((item, context) => {
    const required =
      item.type === 'transfer'
        ? (['ledger', 'debit_account_id', 'credit_account_id', 'amount'] as const)
        : (['pending_id'] as const);
    for (const field of required) {
      if (item[field] === undefined)
        context.addIssue({ code: 'custom', path: [field], message: `required for a ${item.type}` });
    }
    const refused =
      item.type === 'transfer'
        ? (['pending_id'] as const)
        : ([
            'ledger',
            'debit_account_id',
            'credit_account_id',
            'pending',
            ...(item.type === 'void' ? (['amount'] as const) : []),
          ] as const);
    for (const field of refused) {
      if (item[field] !== undefined)
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `not allowed for a ${item.type}`,
        });
    }
  })
  .openapi('BatchItem');

export const BatchSchema = z
  .strictObject({
    transfers: z
      .array(BatchItemSchema)
      .min(1, 'must hold at least one transfer')
      .max(MAX_BATCH, `must hold at most ${MAX_BATCH} transfers`),
    atomic: z
      .boolean()
      .default(false)
      .openapi({ description: 'All transfers succeed or none does (one linked chain)' }),
  })
  .openapi('Batch');

export const StakeSchema = z
  .strictObject({
    id: IdSchema.optional(),
    account_id: IdSchema,
    ledger: z.enum(['AIA', 'AIA_GOV'], { error: 'must be AIA or AIA_GOV' }).default('AIA').openapi({
      description: 'AIA (default) or AIA_GOV; staked AIA_GOV is the weight of a governance voter',
    }),
    amount: AmountSchema,
  })
  .openapi('NewStake');

export const RewardDistributionSchema = z
  .strictObject({
    id: IdSchema.optional().openapi({
      description: 'Distribution id: sending it again is idempotent',
    }),
    ledger: LedgerCodeSchema.default('AIA'),
    memo: MemoSchema.optional(),
    rewards: z
      .array(z.strictObject({ account_id: IdSchema, amount: AmountSchema }))
      .min(1, 'must hold at least one reward')
      .max(MAX_BATCH, `must hold at most ${MAX_BATCH} rewards`),
  })
  .openapi('RewardDistribution');

export const SupplyChangeSchema = z
  .strictObject({
    id: IdSchema.optional(),
    ledger: LedgerCodeSchema,
    amount: AmountSchema,
    memo: MemoSchema.min(3, 'must say why (at least 3 characters)'),
  })
  .openapi('SupplyChange');

// Responses.
export const AccountSchema = z
  .object({
    id: IdSchema,
    ledger: LedgerCodeSchema,
    kind: z.enum(ACCOUNT_KINDS),
    owner: z.string(),
    flags: z.object({
      debits_must_not_exceed_credits: z.boolean(),
      credits_must_not_exceed_debits: z.boolean(),
    }),
    debits_pending: AmountSchema,
    debits_posted: AmountSchema,
    credits_pending: AmountSchema,
    credits_posted: AmountSchema,
    balance: AmountSchema.openapi({ description: 'credits_posted - debits_posted' }),
    available: AmountSchema.openapi({ description: 'balance - debits_pending' }),
    memo: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Account');

export const TransferSchema = z
  .object({
    id: IdSchema,
    ledger: LedgerCodeSchema,
    kind: z.enum(TRANSFER_KINDS),
    debit_account_id: IdSchema,
    credit_account_id: IdSchema,
    amount: AmountSchema,
    pending_id: IdSchema.optional(),
    timeout_at: z.string().optional(),
    memo: z.string().optional(),
    created_at: z.string().optional(),
    status: z
      .enum(['pending', 'posted', 'voided', 'expired'])
      .optional()
      .openapi({ description: 'Pending transfers only' }),
  })
  .openapi('Transfer');

export const TransferFailureSchema = z.object({
  code: z.string(),
  field: z.string().optional(),
  detail: z.string(),
});

export const BatchResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.int(),
        id: IdSchema,
        status: z.enum(['created', 'exists', 'failed']),
        error: TransferFailureSchema.optional(),
      }),
    ),
    created: z.int(),
    exists: z.int(),
    failed: z.int(),
  })
  .openapi('BatchResult');

export const StakeViewSchema = z
  .object({
    id: IdSchema,
    account_id: IdSchema,
    ledger: LedgerCodeSchema,
    amount: AmountSchema,
    stake_transfer_id: IdSchema,
    unlocks_at: z.string(),
    released: z.boolean(),
    release_transfer_id: IdSchema.optional(),
    created_at: z.string(),
  })
  .openapi('Stake');
