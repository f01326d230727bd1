import { z } from 'zod';
import { type ModelRoute, PROVIDER_NAMES, type ProviderName } from './providers-list.js';

/** The model classes services call by; a stack may add its own in LLM_CLASSES. */
export type ModelClass = 'fast' | 'strong' | 'embedding' | (string & {});

/**
 * The default route of each class, in fallback order: one model per provider that serves it.
 * A stack overrides any class with LLM_CLASSES; only enabled providers are tried.
 */
export const DEFAULT_CLASSES: Readonly<Record<string, readonly string[]>> = {
  fast: [
    'openai:gpt-4.1-mini',
    'anthropic:claude-haiku-4-5',
    'google:gemini-2.5-flash',
    'groq:llama-3.1-8b-instant',
    'azure:gpt-4.1-mini',
    'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0',
    'huggingface:meta-llama/Llama-3.1-8B-Instruct',
    'openai-compatible:default',
  ],
  strong: [
    'anthropic:claude-sonnet-4-5',
    'openai:gpt-4.1',
    'google:gemini-2.5-pro',
    'azure:gpt-4.1',
    'bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'groq:llama-3.3-70b-versatile',
    'huggingface:meta-llama/Llama-3.3-70B-Instruct',
    'openai-compatible:default',
  ],
  embedding: [
    'openai:text-embedding-3-small',
    'google:gemini-embedding-001',
    'azure:text-embedding-3-small',
    'bedrock:amazon.titan-embed-text-v2:0',
    'openai-compatible:default',
  ],
};

const CLASS_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const routePattern = new RegExp(`^(${PROVIDER_NAMES.join('|')}):(.+)$`);

/** `provider:model` (the model may itself contain colons, as Bedrock ids do). */
export function parseRoute(text: string): ModelRoute | undefined {
  const match = routePattern.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { provider: match[1] as ProviderName, model: match[2] };
}

const routeSchema = z.string().transform((text, ctx) => {
  const route = parseRoute(text);
  if (route) return route;
  ctx.addIssue({
    code: 'custom',
    message: `"${text}" is not provider:model with a provider among ${PROVIDER_NAMES.join(', ')}`,
  });
  return z.NEVER;
});

/** LLM_CLASSES: a JSON object of class name to its routes in fallback order. */
export const classesSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object of class to routes' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(z.string(), z.array(routeSchema).min(1, 'expected at least one provider:model route'))
      .superRefine((classes, ctx) => {
        for (const name of Object.keys(classes).filter((n) => !CLASS_NAME.test(n)))
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `"${name}" is not a class name (lowercase letters, digits, dashes; e.g. fast)`,
          });
      }),
  );

/** The classes in force: the defaults with LLM_CLASSES's entries in place of theirs. */
export function classRoutes(
  overrides: Readonly<Record<string, readonly ModelRoute[]>> = {},
): Record<string, readonly ModelRoute[]> {
  const defaults = Object.fromEntries(
    Object.entries(DEFAULT_CLASSES).map(([name, routes]) => [
      name,
      routes.map((route) => parseRoute(route) as ModelRoute),
    ]),
  );
  return { ...defaults, ...overrides };
}
