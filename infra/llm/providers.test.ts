import { describe, expect, it } from 'vitest';
import { enabledProviders } from '../../services/platform/llm/providers.js';
import {
  classesWithoutProvider,
  deliveredVariables,
  enabledStackProviders,
  llmProviderWarnings,
  PROVIDER_REQUIREMENTS,
  requiredClasses,
  type StackProvider,
  stackKeyOf,
} from './providers.js';
import { EMBEDDING_PROVIDERS, type LlmVariable } from './settings.js';

/** A value each variable accepts, so only presence decides. */
const VALUES: Record<string, string> = {
  AZURE_OPENAI_ENDPOINT: 'https://aia.openai.azure.com',
  AWS_REGION: 'us-east-1',
  OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:8000/v1',
};
const configOf = (variables: readonly string[]) =>
  Object.fromEntries(variables.map((name) => [name, VALUES[name] ?? 'test-key']));

const providers = Object.entries(PROVIDER_REQUIREMENTS) as [
  StackProvider,
  readonly LlmVariable[],
][];

describe('what enables each LLM provider on a stack', () => {
  it.each(providers)(
    '%s: has embedding models in the services exactly when the table says so',
    (provider, variables) => {
      const [built] = enabledProviders(configOf(variables));
      expect(built?.embeddingModel !== undefined).toBe(EMBEDDING_PROVIDERS.includes(provider));
    },
  );

  it.each(providers)(
    '%s: the variables the table names enable it in the services, and none of them alone less',
    (provider, variables) => {
      expect(enabledProviders(configOf(variables)).map((p) => p.name)).toEqual([provider]);
      for (const left of variables) {
        const fewer = variables.filter((name) => name !== left);
        expect(enabledProviders(configOf(fewer)).map((p) => p.name)).toEqual([]);
      }
    },
  );

  it('names a stack key for every variable that enables a provider', () => {
    const variables = providers.flatMap(([, needed]) => needed);
    expect(variables.filter((variable) => stackKeyOf(variable) === undefined)).toEqual([]);
    expect(stackKeyOf('AWS_REGION')).toBe('aia-platform:llm.awsRegion');
    expect(stackKeyOf('OPENAI_API_KEY')).toBe('aia-platform:openaiApiKey (secret)');
  });

  it('reads what a stack delivers from its llm settings and the keys it sets', () => {
    const delivered = deliveredVariables(
      { azureEndpoint: 'https://aia.openai.azure.com', awsRegion: 'eu-west-1' },
      ['azureOpenaiKey', 'groqApiKey', 'awsAccessKeyId'],
    );
    expect(enabledStackProviders(delivered)).toEqual(['groq', 'azure', 'bedrock']);
    expect(enabledStackProviders(deliveredVariables({}, ['azureOpenaiKey']))).toEqual([]);
  });
});

describe('classes without an enabled provider', () => {
  it('finds every default class on a stack with no provider at all', () => {
    expect(classesWithoutProvider({}, []).map((c) => c.name)).toEqual([
      'fast',
      'strong',
      'embedding',
    ]);
  });

  it('finds only the classes whose routes all miss: embedding has no Anthropic route', () => {
    expect(classesWithoutProvider({}, ['anthropicApiKey'])).toEqual([
      {
        name: 'embedding',
        providers: ['openai', 'google', 'azure', 'bedrock', 'openai-compatible'],
      },
    ]);
  });

  it("reads the stack's classes in place of the defaults", () => {
    const llm = {
      classes: { embedding: ['openai-compatible:nomic-embed-text'], code: ['groq:qwen-coder'] },
      openaiCompatibleBaseUrl: 'http://ollama.inference.svc:11434/v1',
    };
    expect(classesWithoutProvider(llm, ['anthropicApiKey'])).toEqual([
      { name: 'code', providers: ['groq'] },
    ]);
  });

  it('counts only providers with embedding models for an embedding class', () => {
    const llm = { classes: { 'embedding-code': ['openai-compatible:nomic-embed-code'] } };
    expect(classesWithoutProvider(llm, ['anthropicApiKey', 'groqApiKey'])).toContainEqual({
      name: 'embedding-code',
      providers: ['openai-compatible'],
    });
  });
});

describe('warnings of a plan', () => {
  const required = {
    'venture-discovery': ['fast', 'embedding'],
    'agent-orchestrator': ['fast', 'strong'],
  };

  it('warns about a class a service calls, naming it, the stack, its services and the keys that would enable one', () => {
    expect(llmProviderWarnings('production', {}, ['anthropicApiKey'], required)).toEqual([
      'LLM class "embedding" has no enabled provider on stack production, so venture-discovery will refuse to start: ' +
        'set aia-platform:openaiApiKey (secret), or aia-platform:googleApiKey (secret), or aia-platform:llm.azureEndpoint with aia-platform:azureOpenaiKey (secret), or aia-platform:llm.awsRegion, or aia-platform:llm.openaiCompatibleBaseUrl; ' +
        'or route the class to an enabled provider in aia-platform:llm.classes (docs/llm.md, "Providers and keys").',
    ]);
  });

  it('names every service of a class, and a class the stack does not configure', () => {
    const warnings = llmProviderWarnings('staging', {}, [], {
      ...required,
      'dkg-manager': ['summary'],
    });
    expect(warnings.map((warning) => warning.split(':')[0])).toEqual([
      'LLM class "fast" has no enabled provider on stack staging, so venture-discovery and agent-orchestrator will refuse to start',
      'LLM class "embedding" has no enabled provider on stack staging, so venture-discovery will refuse to start',
      'LLM class "strong" has no enabled provider on stack staging, so agent-orchestrator will refuse to start',
      'LLM class "summary" is not configured on stack staging, so dkg-manager will refuse to start',
    ]);
  });

  it('says nothing about a class no service calls', () => {
    const llm = { classes: { spare: ['groq:llama-3.1-8b-instant'] } };
    expect(llmProviderWarnings('staging', llm, ['openaiApiKey'], required)).toEqual([]);
  });

  it('reads the classes each LLM service calls from the catalog', () => {
    const classes = requiredClasses();
    expect(Object.keys(classes).sort()).toEqual(['agent-orchestrator', 'venture-discovery']);
    expect(Object.values(classes).flat()).toContain('fast');
  });
});
