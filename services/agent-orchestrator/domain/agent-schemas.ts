import { z } from '@hono/zod-openapi';
import { textField } from '../../platform/request-fields.js';
import { AGENT_TOOL_NAMES } from './tools.js';

/** Lower-cased: the form PostgreSQL returns, so ids compare equal however a client wrote them. */
export const AgentIdSchema = z
  .uuid('must be a UUID')
  .overwrite((id) => id.toLowerCase())
  .openapi({ example: '0195f7a4-3c1e-4b7a-9d2e-8f6a1b2c3d4e' });

/** Letters, digits, dots, dashes and underscores: a skill id or tag is a token, not prose. */
const token = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores');

/** A media type such as `text/plain` or `application/json`. */
const MediaTypeSchema = z
  .string()
  .max(127, 'must be at most 127 characters')
  .regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/,
    'must be a media type, for example text/plain',
  );

const modes = z
  .array(MediaTypeSchema)
  .min(1, 'must list at least one media type')
  .max(16, 'must list at most 16 media types');

export const SkillSchema = z
  .object({
    id: token(64),
    name: textField({ min: 1, max: 128 }),
    // A2A 1.0: AgentSkill.description and tags are required; a client picks a skill by them.
    description: textField({ min: 1, max: 1000 }),
    tags: z
      .array(token(64))
      .min(1, 'must list at least one tag')
      .max(16, 'must list at most 16 tags'),
    examples: z
      .array(textField({ min: 1, max: 500 }))
      .max(8, 'must list at most 8 examples')
      .default([]),
  })
  .openapi('Skill');

const skills = z
  .array(SkillSchema)
  .max(32, 'must list at most 32 skills')
  .refine(
    (list) => new Set(list.map((skill) => skill.id)).size === list.length,
    'skill ids must be unique',
  );

// A bound's own message: z.int's would name every refusal "must be a whole number", -1 and 5000 too.
const concurrencyField = z
  .int('must be a whole number')
  .min(1, 'must be from 1 to 1000')
  .max(1000, 'must be from 1 to 1000');
const maxStepsField = z
  .int('must be a whole number')
  .min(1, 'must be from 1 to 50')
  .max(50, 'must be from 1 to 50');

const ToolSchema = z.enum(AGENT_TOOL_NAMES, `must be one of ${AGENT_TOOL_NAMES.join(', ')}`);
const LlmRuntimeSchema = z.object({
  kind: z.literal('llm'),
  model_class: token(32).default('fast'),
  instructions: textField({ max: 20_000 }).default(''),
  max_steps: maxStepsField.default(8),
  /** Platform tools the model may call during its run (each call's cost is the run's). */
  tools: z.array(ToolSchema).max(AGENT_TOOL_NAMES.length).default([]),
});
const ToolRuntimeSchema = z.object({ kind: z.literal('tool'), tool: ToolSchema });
const RemoteRuntimeSchema = z.object({
  kind: z.literal('remote'),
  card_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
});

/** The runtime variants by kind: what fields each takes (a change checks against its kind's). */
export const RUNTIME_VARIANTS = {
  llm: LlmRuntimeSchema,
  tool: ToolRuntimeSchema,
  remote: RemoteRuntimeSchema,
} as const;

export const RuntimeSchema = z
  .discriminatedUnion('kind', [LlmRuntimeSchema, ToolRuntimeSchema, RemoteRuntimeSchema])
  .openapi('Runtime');

/**
 * A change to the runtime: any of its fields, no defaults, so fields left out keep their stored
 * values. Without `kind`, or with the stored kind, it merges into the stored runtime; another
 * kind replaces it (see `patchRuntime`).
 */
export const RuntimePatchSchema = z
  .object({
    kind: z.enum(['llm', 'tool', 'remote'], 'must be llm, tool or remote'),
    model_class: token(32),
    instructions: textField({ max: 20_000 }),
    max_steps: maxStepsField,
    tools: z.array(ToolSchema).max(AGENT_TOOL_NAMES.length),
    tool: ToolSchema,
    card_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048),
  })
  .partial()
  .strict()
  .openapi('RuntimePatch');

/** AIA as a decimal string: at most 20 whole digits and 18 decimals. */
const AiaAmountSchema = z
  .string()
  .regex(/^\d{1,20}(?:\.\d{1,18})?$/, 'must be a decimal string of AIA, for example "10.5"');

export const LimitsSchema = z
  .object({
    concurrency: concurrencyField.default(1),
    default_budget_aia: AiaAmountSchema.default('0'),
  })
  .openapi('Limits');

/** A change to the limits: fields left out keep their stored values (no defaults here). */
export const LimitsPatchSchema = z
  .object({ concurrency: concurrencyField, default_budget_aia: AiaAmountSchema })
  .partial()
  .strict()
  .openapi('LimitsPatch');

const nameField = textField({ min: 1, max: 128 });
/** A2A 1.0: AgentCard.description is required, and says what the agent is for. */
const descriptionField = textField({ min: 1, max: 2000 });

/** What registering an agent takes; the caller becomes its owner. */
export const RegisterAgentSchema = z
  .object({
    name: nameField,
    description: descriptionField,
    version: textField({ min: 1, max: 64 }).default('1.0.0'),
    skills: skills.default([]),
    input_modes: modes.default(['text/plain']),
    output_modes: modes.default(['text/plain']),
    runtime: RuntimeSchema,
    limits: LimitsSchema.default({ concurrency: 1, default_budget_aia: '0' }),
    manager_id: AgentIdSchema.nullable().default(null),
  })
  .strict()
  .openapi('RegisterAgent');

/**
 * What an update may change; `manager_id: null` makes the agent a root. `runtime` and `limits`
 * are merged into the stored values, never reset to defaults.
 */
export const UpdateAgentSchema = z
  .object({
    name: nameField,
    description: descriptionField,
    version: textField({ min: 1, max: 64 }),
    skills,
    input_modes: modes,
    output_modes: modes,
    runtime: RuntimePatchSchema,
    limits: LimitsPatchSchema,
    manager_id: AgentIdSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'must change at least one field')
  .openapi('UpdateAgent');

export type RegisterAgent = z.output<typeof RegisterAgentSchema>;
export type UpdateAgent = z.output<typeof UpdateAgentSchema>;
export type RuntimePatch = z.output<typeof RuntimePatchSchema>;
