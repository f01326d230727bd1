import { z } from '@hono/zod-openapi';
import { textField } from '../../platform/request-fields.js';
import { RELATION_TYPES, SKILL_LEVELS } from './relations.js';

/** A version's `spec` as JSON may be at most this many bytes (UTF-8). */
export const MAX_SPEC_BYTES = 16_384;

const NameSchema = textField({ min: 1, max: 200 }).refine(
  (name) => name.trim().length > 0,
  'must not be blank',
);
const TagsSchema = z
  .array(textField({ min: 1, max: 64 }), { error: 'must be a list of strings' })
  .max(20, 'must have at most 20 tags');
const SpecSchema = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .refine(
    (spec) => Buffer.byteLength(JSON.stringify(spec)) <= MAX_SPEC_BYTES,
    `must be at most ${MAX_SPEC_BYTES} bytes as JSON`,
  );

export const CreateEntrySchema = z
  .strictObject({
    name: NameSchema,
    description: textField({ max: 2000 }).default(''),
    tags: TagsSchema.default([]),
    spec: SpecSchema.default({}),
    derived_from: z.uuid('must be a version id').optional(),
  })
  .openapi('CreateEntry');
export type CreateEntry = z.infer<typeof CreateEntrySchema>;

/** A new version: what is not given stays as the current version has it. */
export const NewVersionSchema = z
  .strictObject({
    name: NameSchema.optional(),
    description: textField({ max: 2000 }).optional(),
    tags: TagsSchema.optional(),
    spec: SpecSchema.optional(),
    derived_from: z.uuid('must be a version id').optional(),
  })
  .openapi('NewVersion');
export type NewVersion = z.infer<typeof NewVersionSchema>;

export const RelationInputSchema = z
  .strictObject({
    type: z.enum(RELATION_TYPES, { error: `must be one of ${RELATION_TYPES.join(', ')}` }),
    from_id: z.uuid('must be an entry or version id'),
    to_id: z.uuid('must be an entry or version id').optional(),
    /** APPLIES_TO a task type, by name, instead of `to_id`. */
    to_task_type: textField({ min: 1, max: 200 }).optional(),
    level: z
      .int('must be an integer')
      .min(SKILL_LEVELS.min, `must be at least ${SKILL_LEVELS.min}`)
      .max(SKILL_LEVELS.max, `must be at most ${SKILL_LEVELS.max}`)
      .optional(),
  })
  .openapi('RelationInput');
export type RelationInput = z.infer<typeof RelationInputSchema>;
