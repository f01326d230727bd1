import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createGroq } from '@ai-sdk/groq';
import { createHuggingFace } from '@ai-sdk/huggingface';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV4, LanguageModelV4 } from '@ai-sdk/provider';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { LlmConfig } from './env.js';
import type { ProviderName } from './providers-list.js';

/** One enabled provider: its models by id, through its official AI SDK package. */
export interface EnabledProvider {
  readonly name: ProviderName;
  languageModel(modelId: string): LanguageModelV4;
  /** Absent where the provider has no embeddings. */
  readonly embeddingModel?: (modelId: string) => EmbeddingModelV4;
}

type Config = Readonly<Partial<LlmConfig>>;

/**
 * One model instance per id, made on first use: a provider package's model builds its request
 * and response schemas per instance, which costs more CPU than the layer itself when done per
 * call (`npm run bench -- llm`).
 */
function memoized<T>(make: (id: string) => T): (id: string) => T {
  const made = new Map<string, T>();
  return (id) => {
    let model = made.get(id);
    if (!model) {
      model = make(id);
      made.set(id, model);
    }
    return model;
  };
}

/**
 * Azure's v1 API at `<endpoint>/openai/v1` (the Responses API, deployment name as model); a dated
 * version uses deployment URLs, where Azure serves chat completions and no Responses API.
 */
function azure(config: Config, apiKey: string, endpoint: string) {
  const version = config.AZURE_OPENAI_API_VERSION ?? 'v1';
  const base = `${endpoint.replace(/\/+$/, '')}/openai`;
  const provider = createAzure({
    // Given `/openai`, the client adds `/v1` only on *.azure.com hosts: a gateway in front of
    // Azure got `/openai/responses`. Given `/openai/v1`, every host gets `/openai/v1/responses`.
    baseURL: version === 'v1' ? `${base}/v1` : base,
    apiKey,
    apiVersion: version,
    useDeploymentBasedUrls: version !== 'v1',
  });
  return {
    languageModel: (id: string) =>
      version === 'v1' ? provider.languageModel(id) : provider.chat(id),
    embeddingModel: (id: string) => provider.embeddingModel(id),
  };
}

/**
 * The providers the configuration enables, each built from its credentials: a key (and Azure's
 * endpoint), Bedrock's region with the standard AWS credential chain, or an OpenAI-compatible
 * URL. The local model is not among them: the router adds it where the environment allows.
 */
export function enabledProviders(config: Config): EnabledProvider[] {
  const providers: EnabledProvider[] = [];
  const add = (
    name: ProviderName,
    provider: {
      languageModel(id: string): LanguageModelV4;
      embeddingModel?(id: string): EmbeddingModelV4;
    },
    embeddings: boolean,
  ) => {
    const embeddingModel = provider.embeddingModel?.bind(provider);
    providers.push({
      name,
      languageModel: memoized((id) => provider.languageModel(id)),
      ...(embeddings && embeddingModel ? { embeddingModel: memoized(embeddingModel) } : {}),
    });
  };
  if (config.OPENAI_API_KEY)
    add(
      'openai',
      createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL }),
      true,
    );
  if (config.ANTHROPIC_API_KEY)
    add(
      'anthropic',
      createAnthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL }),
      false,
    );
  if (config.GOOGLE_API_KEY)
    add(
      'google',
      createGoogleGenerativeAI({ apiKey: config.GOOGLE_API_KEY, baseURL: config.GOOGLE_BASE_URL }),
      true,
    );
  if (config.GROQ_API_KEY)
    add('groq', createGroq({ apiKey: config.GROQ_API_KEY, baseURL: config.GROQ_BASE_URL }), false);
  if (config.AZURE_OPENAI_ENDPOINT && config.AZURE_OPENAI_KEY)
    add('azure', azure(config, config.AZURE_OPENAI_KEY, config.AZURE_OPENAI_ENDPOINT), true);
  if (config.AWS_REGION)
    add(
      'bedrock',
      createAmazonBedrock({
        region: config.AWS_REGION,
        baseURL: config.BEDROCK_BASE_URL,
        credentialProvider: fromNodeProviderChain(),
      }),
      true,
    );
  if (config.HUGGINGFACE_API_KEY)
    add(
      'huggingface',
      createHuggingFace({
        apiKey: config.HUGGINGFACE_API_KEY,
        baseURL: config.HUGGINGFACE_BASE_URL,
      }),
      false,
    );
  if (config.OPENAI_COMPATIBLE_BASE_URL)
    add(
      'openai-compatible',
      createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: config.OPENAI_COMPATIBLE_BASE_URL,
        apiKey: config.OPENAI_COMPATIBLE_API_KEY,
        supportsStructuredOutputs: true,
        includeUsage: true,
      }),
      true,
    );
  return providers;
}
