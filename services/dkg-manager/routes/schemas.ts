import { z } from '@hono/zod-openapi';
import { integerParam } from '../../platform/request-fields.js';
import { REGISTRY_NAMES } from '../domain/registries.js';
import { RELATION_TYPES } from '../domain/relations.js';
import { NODE_LABELS } from '../graph/graph-schema.js';

export const EntrySchema = z
  .object({
    id: z.uuid(),
    registry: z.enum(REGISTRY_NAMES),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    owner: z.string(),
    current_version: z.int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Entry');

export const VersionSchema = z
  .object({
    id: z.uuid(),
    entry_id: z.uuid(),
    number: z.int(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    spec: z.record(z.string(), z.unknown()),
    created_by: z.string(),
    created_at: z.string(),
  })
  .openapi('EntryVersion');

export const EntryReplySchema = z.object({ entry: EntrySchema });
export const EntryWithVersionSchema = z.object({ entry: EntrySchema, version: VersionSchema });
export const EntryPageSchema = z.object({
  entries: z.array(EntrySchema),
  next_cursor: z.string().nullable(),
});
export const VersionsSchema = z.object({ versions: z.array(VersionSchema) });
export const VersionReplySchema = z.object({ version: VersionSchema });

export const RelationSchema = z
  .object({
    type: z.enum(RELATION_TYPES),
    from_id: z.uuid(),
    to_id: z.uuid(),
    level: z.int().nullable(),
  })
  .openapi('Relation');
export const RelationReplySchema = z.object({ relation: RelationSchema });
export const RelationsSchema = z.object({
  relations: z.array(
    z.object({
      type: z.string(),
      direction: z.enum(['out', 'in']),
      node: z.object({ id: z.string(), label: z.enum(NODE_LABELS), name: z.string().nullable() }),
      level: z.int().nullable(),
    }),
  ),
});

const idParam = (name: string) => z.uuid('must be a UUID').openapi({ param: { name, in: 'path' } });

export const IdParamsSchema = z.object({ id: idParam('id') });
export const VersionParamsSchema = z.object({
  id: idParam('id'),
  number: integerParam({ min: 1, max: 1_000_000 }).openapi({
    param: { name: 'number', in: 'path' },
  }),
});
export const RelationParamsSchema = z.object({
  type: z
    .enum(RELATION_TYPES, { error: `must be one of ${RELATION_TYPES.join(', ')}` })
    .openapi({ param: { name: 'type', in: 'path' } }),
  from_id: idParam('from_id'),
  to_id: idParam('to_id'),
});

export const ListQuerySchema = z.object({
  limit: integerParam({ min: 1, max: 500, default: 50 }).openapi({
    param: { name: 'limit', in: 'query' },
    example: '50',
  }),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be the next_cursor of a previous page')
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});
