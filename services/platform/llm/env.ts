import { z } from 'zod';
import { secret } from '../config.js';
import { alwaysCheck, flag } from '../env.js';
import { classesSchema } from './classes.js';

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `expected an http(s) URL of ${what}` });
const key = () => secret(z.string().min(1, 'must not be empty'));
const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

/**
 * LLM providers and routing (docs/llm.md). A provider is enabled by its credentials: an API key;
 * Azure's endpoint and key; Bedrock's AWS_REGION (credentials from the standard AWS chain); an
 * OpenAI-compatible endpoint's URL. `*_BASE_URL` points a provider at a proxy or gateway.
 */
export const llmEnv = {
  OPENAI_API_KEY: key().optional(),
  OPENAI_BASE_URL: url('the OpenAI API').optional(),
  ANTHROPIC_API_KEY: key().optional(),
  ANTHROPIC_BASE_URL: url('the Anthropic API').optional(),
  GOOGLE_API_KEY: key().optional(),
  GOOGLE_BASE_URL: url('the Gemini API').optional(),
  GROQ_API_KEY: key().optional(),
  GROQ_BASE_URL: url('the Groq API').optional(),
  /** The Azure OpenAI resource, e.g. `https://<resource>.openai.azure.com`. */
  AZURE_OPENAI_ENDPOINT: url('the Azure OpenAI resource').optional(),
  AZURE_OPENAI_KEY: key().optional(),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default('v1'),
  HUGGINGFACE_API_KEY: key().optional(),
  HUGGINGFACE_BASE_URL: url('the Hugging Face router').optional(),
  /** Enables Bedrock; credentials come from the AWS chain (env keys, web identity, profile). */
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as us-east-1')
    .optional(),
  BEDROCK_BASE_URL: url('the Bedrock runtime').optional(),
  /** An OpenAI-compatible server (vLLM, llama.cpp, Ollama): its `/v1` base URL. */
  OPENAI_COMPATIBLE_BASE_URL: url('an OpenAI-compatible /v1 endpoint').optional(),
  OPENAI_COMPATIBLE_API_KEY: key().optional(),
  /** Routes per model class, in fallback order (JSON): replaces the default routes of a class. */
  LLM_CLASSES: classesSchema.optional(),
  /** Conversion of the providers' USD prices into AIA charged to budgets. */
  LLM_AIA_PER_USD: z.coerce
    .number({ error: 'expected a positive number of AIA per USD' })
    .positive('expected a positive number of AIA per USD')
    .default(100),
  /** One attempt's limit (within the call's). */
  LLM_TIMEOUT_MS: positiveInt('a number of milliseconds').default(60_000),
  /** A whole call's limit: every route, retry and wait included (a call may lower it). */
  LLM_CALL_TIMEOUT_MS: positiveInt('a number of milliseconds').default(120_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Calls in flight per provider; more wait for a slot (or their deadline). */
  LLM_MAX_CONCURRENCY: positiveInt('a number of calls').default(16),
  /** Log prompts and completions at debug level (never in the stacks unless asked). */
  LLM_LOG_CONTENT: flag(false),
};

type Refinement = (env: Record<string, unknown>, ctx: z.RefinementCtx) => void;

/** Azure needs both its endpoint and its key: one alone names neither. */
const azurePair: Refinement = (env, ctx) => {
  const [endpoint, apiKey] = [env.AZURE_OPENAI_ENDPOINT, env.AZURE_OPENAI_KEY];
  if ((endpoint === undefined) === (apiKey === undefined)) return;
  const missing = endpoint === undefined ? 'AZURE_OPENAI_ENDPOINT' : 'AZURE_OPENAI_KEY';
  const given = endpoint === undefined ? 'AZURE_OPENAI_KEY' : 'AZURE_OPENAI_ENDPOINT';
  ctx.addIssue({ code: 'custom', path: [missing], message: `required when ${given} is set` });
};

/** Adds the LLM rules to a service's env schema. */
export const withLlmRules = <S extends z.ZodObject>(schema: S): S =>
  schema.superRefine(azurePair, alwaysCheck);

/** The configuration the LLM layer reads, as the env schema parsed it. */
export type LlmConfig = z.output<z.ZodObject<typeof llmEnv>> & {
  readonly ENVIRONMENT: 'development' | 'test' | 'staging' | 'production';
};
