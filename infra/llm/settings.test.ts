import { describe, expect, it } from 'vitest';
import { catalog } from '../../services/catalog.js';
import { llmKeyProblems } from './keys.js';
import { llmSchema, llmServices, llmVariables } from './settings.js';

/** The messages of an `llm` value that fails validation, as `path: message`. */
function problems(llm: unknown): string[] {
  const result = llmSchema.safeParse(llm);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('aia-platform:llm', () => {
  it('renders only what the stack sets, each as the variable its services read', () => {
    expect(llmVariables(llmSchema.parse({}))).toEqual({});
    const variables = llmVariables(
      llmSchema.parse({
        classes: { fast: ['openai-compatible:qwen2.5-7b', 'azure:gpt-4o-mini-deployment'] },
        aiaPerUsd: 150.5,
        timeoutMs: '45000',
        maxRetries: 0,
        logContent: false,
        azureApiVersion: '2025-04-01-preview',
        baseUrls: { bedrock: 'https://bedrock-runtime.us-east-1.amazonaws.com' },
      }),
    );
    expect(variables).toEqual({
      LLM_CLASSES: '{"fast":["openai-compatible:qwen2.5-7b","azure:gpt-4o-mini-deployment"]}',
      LLM_AIA_PER_USD: '150.5',
      LLM_TIMEOUT_MS: '45000',
      LLM_MAX_RETRIES: '0',
      LLM_LOG_CONTENT: 'false',
      AZURE_OPENAI_API_VERSION: '2025-04-01-preview',
      BEDROCK_BASE_URL: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    });
    // What the stack renders, the services parse: their own schema is the judge.
    const env = catalog['agent-orchestrator'].env.shape;
    expect(env.LLM_CLASSES.parse(variables.LLM_CLASSES)).toMatchObject({
      fast: [{ provider: 'openai-compatible', model: 'qwen2.5-7b' }, { provider: 'azure' }],
    });
    expect(env.LLM_MAX_RETRIES.parse(variables.LLM_MAX_RETRIES)).toBe(0);
  });

  it('refuses a bad route, class name or empty class, by the services own reading of LLM_CLASSES', () => {
    const route = problems({ classes: { fast: ['openai:gpt-4.1-mini', 'gpt-4.1-mini'] } });
    expect(route).toEqual([
      expect.stringMatching(/^classes\.fast\.1: "gpt-4\.1-mini" is not provider:model/),
    ]);
    const name = problems({ classes: { Strong: ['openai:gpt-4.1'] } });
    expect(name).toEqual([expect.stringMatching(/^classes\.Strong: .*class name/)]);
    expect(problems({ classes: { empty: [] } })).toEqual([
      'classes.empty: expected at least one provider:model route',
    ]);
  });

  it('refuses the local model in a stack, and a provider without embeddings for an embedding class', () => {
    expect(
      problems({
        classes: {
          fast: ['openai:gpt-4.1-mini', 'local:echo'],
          'embedding-docs': ['google:gemini-embedding-001', 'anthropic:claude-haiku-4-5'],
        },
      }),
    ).toEqual([
      'classes.fast.1: "local:echo" is the deterministic local model, which serves development and tests only: route the class to a provider the stack enables',
      'classes.embedding-docs.1: "anthropic:claude-haiku-4-5": anthropic has no embedding models, and embedding-docs is an embedding class (its name starts with embedding): route it to openai, google, azure, bedrock, openai-compatible',
    ]);
  });

  it('refuses values the services would refuse, with their reason and variable', () => {
    expect(
      problems({
        maxRetries: 9,
        timeoutMs: -1,
        awsRegion: 'virginia',
        openaiCompatibleBaseUrl: 'vllm:8000',
        baseUrls: { groq: 'ftp://proxy' },
        logContent: 'sometimes',
      }),
    ).toEqual([
      "timeoutMs: expected a number of milliseconds (the LLM services' LLM_TIMEOUT_MS)",
      "maxRetries: Too big: expected number to be <=5 (the LLM services' LLM_MAX_RETRIES)",
      "logContent: expected true or false (the LLM services' LLM_LOG_CONTENT)",
      "awsRegion: expected an AWS region such as us-east-1 (the LLM services' AWS_REGION)",
      "openaiCompatibleBaseUrl: expected an http(s) URL of an OpenAI-compatible /v1 endpoint (the LLM services' OPENAI_COMPATIBLE_BASE_URL)",
      "baseUrls.groq: expected an http(s) URL of the Groq API (the LLM services' GROQ_BASE_URL)",
    ]);
    expect(problems({ azureEndpont: 'https://x.openai.azure.com' })).toEqual([
      ': Unrecognized key: "azureEndpont"',
    ]);
  });

  it('goes to the services whose schema takes the LLM variables, found in the catalog', () => {
    expect(llmServices().sort()).toEqual(['agent-orchestrator', 'venture-discovery']);
  });
});

describe('LLM keys and the settings they need', () => {
  const keys =
    (...set: string[]) =>
    (key: string) =>
      set.includes(key);

  it('accepts a stack with each pair complete, or with none', () => {
    expect(llmKeyProblems({}, keys())).toEqual([]);
    const complete = {
      azureEndpoint: 'https://aia.openai.azure.com',
      awsRegion: 'us-east-1',
      openaiCompatibleBaseUrl: 'http://10.10.0.5:8080/v1',
    };
    const all = keys(
      'azureOpenaiKey',
      'awsAccessKeyId',
      'awsSecretAccessKey',
      'openaiCompatibleApiKey',
    );
    expect(llmKeyProblems(complete, all)).toEqual([]);
    // Bedrock's keys are optional: a region alone uses whatever the AWS chain finds.
    expect(llmKeyProblems({ awsRegion: 'us-east-1' }, keys())).toEqual([]);
  });

  it('refuses half an Azure, half an AWS key pair, keys without their region or URL', () => {
    const found = llmKeyProblems(
      { azureEndpoint: 'https://aia.openai.azure.com' },
      keys('awsSecretAccessKey', 'openaiCompatibleApiKey'),
    );
    expect(found.map(({ key }) => key)).toEqual([
      'aia-platform:llm → azureEndpoint',
      'aia-platform:awsSecretAccessKey',
      'aia-platform:awsSecretAccessKey',
      'aia-platform:openaiCompatibleApiKey',
    ]);
    expect(found[0]?.reason).toContain('pulumi config set --secret aia-platform:azureOpenaiKey');
    expect(found[1]?.reason).toContain('pulumi config set --secret aia-platform:awsAccessKeyId');
    expect(found[2]?.reason).toContain('pulumi config set --path aia-platform:llm.awsRegion');
    expect(found[3]?.reason).toContain(
      'pulumi config set --path aia-platform:llm.openaiCompatibleBaseUrl',
    );
    expect(llmKeyProblems({}, keys('azureOpenaiKey'))).toEqual([
      {
        key: 'aia-platform:azureOpenaiKey',
        reason:
          "Azure needs its resource's endpoint as well, or the LLM services refuse to start: pulumi config set --path aia-platform:llm.azureEndpoint https://<resource>.openai.azure.com, or pulumi config rm aia-platform:azureOpenaiKey",
      },
    ]);
  });
});
