import { z } from 'zod';
import { type ServiceName, serviceDefinition, serviceNames } from '../../services/catalog.js';
import { classesSchema, parseRoute } from '../../services/platform/llm/classes.js';
import { llmEnv } from '../../services/platform/llm/env.js';
import type { ProviderName } from '../../services/platform/llm/providers-list.js';
import { isEmbeddingClass } from '../../services/platform/llm/routing.js';

/** A variable of the LLM layer's environment contract (`llmEnv`). */
export type LlmVariable = keyof typeof llmEnv;

/**
 * The services that take the LLM layer's environment (`llmEnv` in their env schema): they get the
 * stack's LLM settings and keys, and egress to the providers. Read from the catalog, not named.
 */
export const llmServices = (): ServiceName[] =>
  serviceNames.filter((name) => 'LLM_CLASSES' in serviceDefinition(name).env.shape);

/** The plain fields of `aia-platform:llm` and the variable of the LLM services each becomes. */
export const LLM_SETTING_VARIABLES = {
  aiaPerUsd: 'LLM_AIA_PER_USD',
  timeoutMs: 'LLM_TIMEOUT_MS',
  callTimeoutMs: 'LLM_CALL_TIMEOUT_MS',
  maxRetries: 'LLM_MAX_RETRIES',
  maxConcurrency: 'LLM_MAX_CONCURRENCY',
  logContent: 'LLM_LOG_CONTENT',
  azureEndpoint: 'AZURE_OPENAI_ENDPOINT',
  azureApiVersion: 'AZURE_OPENAI_API_VERSION',
  awsRegion: 'AWS_REGION',
  openaiCompatibleBaseUrl: 'OPENAI_COMPATIBLE_BASE_URL',
} as const satisfies Record<string, LlmVariable>;

/** `aia-platform:llm.baseUrls`: a proxy or gateway in front of a provider, by provider. */
export const LLM_BASE_URL_VARIABLES = {
  openai: 'OPENAI_BASE_URL',
  anthropic: 'ANTHROPIC_BASE_URL',
  google: 'GOOGLE_BASE_URL',
  groq: 'GROQ_BASE_URL',
  huggingface: 'HUGGINGFACE_BASE_URL',
  bedrock: 'BEDROCK_BASE_URL',
} as const satisfies Record<string, LlmVariable>;

/**
 * A field judged by the services' own schema of its variable, so no requirement is restated here
 * and a value the plan accepts is one the services accept. Numbers and flags may be written as
 * strings too (`pulumi config set --path` without a type stores strings).
 */
function setting<T extends z.ZodType>(type: T, variable: LlmVariable) {
  return type.optional().superRefine((value, ctx) => {
    if (value === undefined) return;
    const result = llmEnv[variable].safeParse(String(value));
    if (!result.success) {
      ctx.addIssue({
        code: 'custom',
        message: `${result.error.issues[0]?.message} (the LLM services' ${variable})`,
      });
    }
  });
}

const number = z.union([z.number(), z.string()]);
const text = z.string();

/**
 * The providers with embedding models, as services/platform/llm/providers.ts builds them (a test
 * holds the two together): an embedding class's route to another is never tried.
 */
export const EMBEDDING_PROVIDERS: readonly ProviderName[] = [
  'openai',
  'google',
  'azure',
  'bedrock',
  'openai-compatible',
];

/**
 * Routes per class, checked as the services read LLM_CLASSES (`classesSchema`, whose routes are
 * `parseRoute`'s), plus what the services refuse or skip once deployed: a route to the
 * deterministic local model (development and tests only), and an embedding class's route to a
 * provider without embedding models.
 */
const classesField = z
  .record(z.string(), z.array(z.string()))
  .optional()
  .superRefine((classes, ctx) => {
    if (classes === undefined) return;
    const parsed = classesSchema.safeParse(JSON.stringify(classes));
    for (const issue of parsed.error?.issues ?? []) {
      // A bad class name is reported by zod as the record's; its reason is the inner issue.
      const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
      ctx.addIssue({ code: 'custom', path: issue.path, message: inner ?? issue.message });
    }
    for (const [name, routes] of Object.entries(classes)) {
      routes.forEach((route, index) => {
        const provider = parseRoute(route)?.provider;
        const message =
          provider === 'local'
            ? `"${route}" is the deterministic local model, which serves development and tests only: route the class to a provider the stack enables`
            : provider && isEmbeddingClass(name) && !EMBEDDING_PROVIDERS.includes(provider)
              ? `"${route}": ${provider} has no embedding models, and ${name} is an embedding class (its name starts with embedding): route it to ${EMBEDDING_PROVIDERS.join(', ')}`
              : undefined;
        if (message) ctx.addIssue({ code: 'custom', path: [name, index], message });
      });
    }
  });

/**
 * `aia-platform:llm`: how the LLM services (agent-orchestrator, venture-discovery) route and call
 * models on this stack (docs/llm.md). Every field is optional: unset, the services' own default
 * applies. Provider keys are secrets of their own (`aia-platform:openaiApiKey`, ...).
 */
export const llmSchema = z.strictObject({
  /**
   * Class → `provider:model` routes in fallback order (LLM_CLASSES); a class listed here replaces
   * that class's default routes, and new classes may be added. An Azure model is its deployment name.
   */
  classes: classesField,
  /** AIA charged to budgets per USD of provider price (LLM_AIA_PER_USD, default 100). */
  aiaPerUsd: setting(number, 'LLM_AIA_PER_USD'),
  /** One attempt's limit in milliseconds (LLM_TIMEOUT_MS, default 60000). */
  timeoutMs: setting(number, 'LLM_TIMEOUT_MS'),
  /** A whole call's limit in milliseconds, every route included (LLM_CALL_TIMEOUT_MS, default 120000). */
  callTimeoutMs: setting(number, 'LLM_CALL_TIMEOUT_MS'),
  /** Retries of each route, 0–5 (LLM_MAX_RETRIES, default 2). */
  maxRetries: setting(number, 'LLM_MAX_RETRIES'),
  /** Calls in flight per provider and replica (LLM_MAX_CONCURRENCY, default 16). */
  maxConcurrency: setting(number, 'LLM_MAX_CONCURRENCY'),
  /** Log prompts and completions at debug level (LLM_LOG_CONTENT, default false). */
  logContent: setting(z.union([z.boolean(), z.string()]), 'LLM_LOG_CONTENT'),
  /** `https://<resource>.openai.azure.com`; with the secret azureOpenaiKey it enables Azure. */
  azureEndpoint: setting(text, 'AZURE_OPENAI_ENDPOINT'),
  /** Azure OpenAI API version (AZURE_OPENAI_API_VERSION, default `v1`). */
  azureApiVersion: setting(text, 'AZURE_OPENAI_API_VERSION'),
  /** Enables Bedrock in this AWS region; credentials from the AWS chain (docs/llm.md). */
  awsRegion: setting(text, 'AWS_REGION'),
  /** An OpenAI-compatible server's `/v1` URL (vLLM, llama.cpp, Ollama): enables it. */
  openaiCompatibleBaseUrl: setting(text, 'OPENAI_COMPATIBLE_BASE_URL'),
  /** Provider → base URL of a proxy or gateway in front of it. */
  baseUrls: z
    .strictObject({
      openai: setting(text, 'OPENAI_BASE_URL'),
      anthropic: setting(text, 'ANTHROPIC_BASE_URL'),
      google: setting(text, 'GOOGLE_BASE_URL'),
      groq: setting(text, 'GROQ_BASE_URL'),
      huggingface: setting(text, 'HUGGINGFACE_BASE_URL'),
      bedrock: setting(text, 'BEDROCK_BASE_URL'),
    })
    .optional(),
});

export type LlmSettings = z.output<typeof llmSchema>;

/**
 * The ConfigMap variables `aia-platform:llm` gives the LLM services: only what the stack sets,
 * so the services' documented defaults stay the one place a default lives.
 */
export function llmVariables(llm: LlmSettings): Partial<Record<LlmVariable, string>> {
  const variables: Partial<Record<LlmVariable, string>> = {};
  if (llm.classes !== undefined) variables.LLM_CLASSES = JSON.stringify(llm.classes);
  for (const [field, variable] of Object.entries(LLM_SETTING_VARIABLES)) {
    const value = llm[field as keyof typeof LLM_SETTING_VARIABLES];
    if (value !== undefined) variables[variable] = String(value);
  }
  for (const [provider, variable] of Object.entries(LLM_BASE_URL_VARIABLES)) {
    const value = llm.baseUrls?.[provider as keyof typeof LLM_BASE_URL_VARIABLES];
    if (value !== undefined) variables[variable] = value;
  }
  return variables;
}
