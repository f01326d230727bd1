import { z } from '@hono/zod-openapi';
import { PLATFORM_SCOPES, ROLE_NAMES } from '../roles.js';

const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

const Scope = z.enum(PLATFORM_SCOPES, {
  error: `must be one of the platform's scopes: ${PLATFORM_SCOPES.join(', ')}`,
});

const Scopes = z
  .array(Scope)
  .min(1, 'must name at least one scope')
  .max(PLATFORM_SCOPES.length, `must name at most ${PLATFORM_SCOPES.length} scopes`);

export const CreateClientSchema = z
  .strictObject({
    name: Name,
    role: z
      .enum(ROLE_NAMES as [string, ...string[]], {
        error: `must be one of the roles: ${ROLE_NAMES.join(', ')}`,
      })
      .optional(),
    scopes: Scopes.optional(),
  })
  .refine((body) => (body.role === undefined) !== (body.scopes === undefined), {
    error: 'give either role or scopes, exactly one of them',
    path: ['role'],
  })
  .openapi('CreateClient');

export const ClientSchema = z
  .object({
    client_id: z.string(),
    client_name: z.string(),
    role: z.string().nullable(),
    scope: z.string().openapi({ description: 'What the client may ask for, space-separated' }),
    created_by: z.string(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('Client');

export const CreatedClientSchema = ClientSchema.extend({
  client_secret: z.string().openapi({ description: 'Shown this once: only its hash is kept' }),
}).openapi('CreatedClient');

export const ClientParamsSchema = z.object({
  id: z
    .uuid({ error: 'must be a client id (a UUID)' })
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const CreateApiKeySchema = z
  .strictObject({
    name: Name,
    scopes: Scopes,
    expires_at: z.iso
      .datetime({ offset: true, error: 'must be an RFC 3339 date-time with an offset' })
      .openapi({ description: 'Required; at most 365 days from now' }),
  })
  .openapi('CreateApiKey');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    created_at: z.string(),
    expires_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('ApiKey');

export const ApiKeyParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'must be an API key id (16 hex digits)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});
