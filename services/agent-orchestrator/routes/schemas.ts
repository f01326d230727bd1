import { z } from '@hono/zod-openapi';
import { integerParam } from '../../platform/request-fields.js';
import {
  AgentIdSchema,
  LimitsSchema,
  RuntimeSchema,
  SkillSchema,
} from '../domain/agent-schemas.js';

export const AgentSchema = z
  .object({
    id: z.uuid(),
    owner: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string(),
    skills: z.array(SkillSchema),
    input_modes: z.array(z.string()),
    output_modes: z.array(z.string()),
    runtime: RuntimeSchema,
    limits: LimitsSchema,
    manager_id: z.uuid().nullable(),
    ledger_account_id: z.uuid(),
    status: z.enum(['active', 'retired']),
    created_at: z.string(),
    updated_at: z.string(),
    retired_at: z.string().nullable(),
  })
  .openapi('Agent');

export const AgentReply = z.object({ agent: AgentSchema });

export const IdParamsSchema = z.object({
  id: AgentIdSchema.openapi({ param: { name: 'id', in: 'path' } }),
});

/** A page cursor: the `next_cursor` of the previous page (a sequence number). */
export const CursorSchema = z
  .string()
  .regex(/^\d{1,18}$/, 'must be the next_cursor of a previous page')
  .optional();

export const ListQuerySchema = z.object({
  manager: AgentIdSchema.optional().openapi({
    param: { name: 'manager', in: 'query' },
    description: 'Only the direct reports of this agent',
  }),
  status: z
    .enum(['active', 'retired'], { error: 'must be active or retired' })
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
  skill: z
    .string()
    .min(1)
    .max(64, 'must be at most 64 characters')
    .optional()
    .openapi({
      param: { name: 'skill', in: 'query' },
      description: 'Only agents with a skill tagged so',
    }),
  limit: integerParam({ min: 1, max: 500, default: 50 }).openapi({
    param: { name: 'limit', in: 'query' },
    example: '50',
  }),
  cursor: CursorSchema.openapi({ param: { name: 'cursor', in: 'query' } }),
});

export const AgentPageSchema = z.object({
  agents: z.array(AgentSchema),
  next_cursor: z.string().nullable(),
});

export const ReportsSchema = z.object({
  reports: z.array(AgentSchema.extend({ depth: z.int() })),
});
