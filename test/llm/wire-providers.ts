import type { LlmConfig } from '../../services/platform/llm/env.js';
import type { ProviderName } from '../../services/platform/llm/providers-list.js';
import {
  type ProtocolServer,
  startAnthropicServer,
  startAzureServer,
  startBedrockServer,
  startGoogleServer,
  startGroqServer,
  startHuggingFaceServer,
  startOpenAiCompatibleServer,
  startOpenAiServer,
} from './servers/index.js';
import { at } from './servers/protocol.js';

/** Credentials only these tests know: a server accepts them and nothing else. */
export const KEYS = {
  openai: 'sk-test-openai',
  anthropic: 'sk-ant-test',
  google: 'test-google-key',
  groq: 'gsk_test',
  azure: 'test-azure-key',
  huggingface: 'hf_test',
  'openai-compatible': 'test-compatible-key',
  aws: { accessKeyId: 'AKIATESTWIRE0000', secretAccessKey: 'test/wire+secret' },
} as const;

export const AWS_REGION = 'eu-west-1';

type Body = unknown;
/** One provider as the wire tests drive it: its fake server, configuration and expectations. */
export interface WireProvider {
  readonly name: ProviderName;
  readonly model: string;
  readonly embeddingModel?: string;
  start(): Promise<ProtocolServer>;
  /** The env the layer reads, pointing the provider at the server. */
  config(server: ProtocolServer): Partial<LlmConfig>;
  /** The same with a key the server was not given (AWS: a wrong secret in the process env). */
  readonly wrongKey: {
    readonly config?: Partial<LlmConfig>;
    readonly env?: Record<string, string>;
  };
  /** The status the provider refuses a wrong key with. */
  readonly wrongKeyStatus: number;
  /** The path each operation must hit. */
  readonly paths: { readonly generate: string; readonly stream: string; readonly embed?: string };
  /** Headers that carry the credentials, as the provider's API wants them. */
  readonly auth: Readonly<Record<string, string | RegExp>>;
  /** The user's prompt where the protocol carries it in the request body. */
  prompt(body: Body): unknown;
  /** Whether the protocol names the model in the body (else in the path). */
  readonly modelInBody: boolean;
}

const responsesPrompt = (body: Body) => at(body, 'input', 0, 'content', 0, 'text');
const chatPrompt = (body: Body) => at(body, 'messages', 0, 'content');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export const WIRE_PROVIDERS: readonly WireProvider[] = [
  {
    name: 'openai',
    model: 'gpt-4.1-mini',
    embeddingModel: 'text-embedding-3-small',
    start: () => startOpenAiServer({ apiKey: KEYS.openai }),
    config: (server) => ({ OPENAI_API_KEY: KEYS.openai, OPENAI_BASE_URL: server.baseUrl }),
    wrongKey: { config: { OPENAI_API_KEY: 'sk-wrong' } },
    wrongKeyStatus: 401,
    paths: { generate: '/v1/responses', stream: '/v1/responses', embed: '/v1/embeddings' },
    auth: bearer(KEYS.openai),
    prompt: responsesPrompt,
    modelInBody: true,
  },
  {
    name: 'anthropic',
    model: 'claude-haiku-4-5',
    start: () => startAnthropicServer({ apiKey: KEYS.anthropic }),
    config: (server) => ({ ANTHROPIC_API_KEY: KEYS.anthropic, ANTHROPIC_BASE_URL: server.baseUrl }),
    wrongKey: { config: { ANTHROPIC_API_KEY: 'sk-ant-wrong' } },
    wrongKeyStatus: 401,
    paths: { generate: '/v1/messages', stream: '/v1/messages' },
    auth: { 'x-api-key': KEYS.anthropic, 'anthropic-version': '2023-06-01' },
    prompt: (body) => at(body, 'messages', 0, 'content', 0, 'text'),
    modelInBody: true,
  },
  {
    name: 'google',
    model: 'gemini-2.5-flash',
    embeddingModel: 'gemini-embedding-001',
    start: () => startGoogleServer({ apiKey: KEYS.google }),
    config: (server) => ({ GOOGLE_API_KEY: KEYS.google, GOOGLE_BASE_URL: server.baseUrl }),
    wrongKey: { config: { GOOGLE_API_KEY: 'wrong' } },
    wrongKeyStatus: 400,
    paths: {
      generate: '/v1beta/models/gemini-2.5-flash:generateContent',
      stream: '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      embed: '/v1beta/models/gemini-embedding-001:embedContent',
    },
    auth: { 'x-goog-api-key': KEYS.google },
    prompt: (body) => at(body, 'contents', 0, 'parts', 0, 'text'),
    modelInBody: false,
  },
  {
    name: 'groq',
    model: 'llama-3.1-8b-instant',
    start: () => startGroqServer({ apiKey: KEYS.groq }),
    config: (server) => ({ GROQ_API_KEY: KEYS.groq, GROQ_BASE_URL: server.baseUrl }),
    wrongKey: { config: { GROQ_API_KEY: 'gsk_wrong' } },
    wrongKeyStatus: 401,
    paths: { generate: '/openai/v1/chat/completions', stream: '/openai/v1/chat/completions' },
    auth: bearer(KEYS.groq),
    prompt: chatPrompt,
    modelInBody: true,
  },
  {
    name: 'azure',
    model: 'gpt-4.1-mini',
    embeddingModel: 'text-embedding-3-small',
    start: () => startAzureServer({ apiKey: KEYS.azure }),
    config: (server) => ({
      AZURE_OPENAI_ENDPOINT: server.origin,
      AZURE_OPENAI_KEY: KEYS.azure,
      AZURE_OPENAI_API_VERSION: 'v1',
    }),
    wrongKey: { config: { AZURE_OPENAI_KEY: 'wrong' } },
    wrongKeyStatus: 401,
    paths: {
      generate: '/openai/v1/responses',
      stream: '/openai/v1/responses',
      embed: '/openai/v1/embeddings',
    },
    auth: { 'api-key': KEYS.azure },
    prompt: responsesPrompt,
    modelInBody: true,
  },
  {
    name: 'bedrock',
    model: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    embeddingModel: 'amazon.titan-embed-text-v2:0',
    start: () => startBedrockServer({ ...KEYS.aws, region: AWS_REGION }),
    config: (server) => ({ AWS_REGION, BEDROCK_BASE_URL: server.baseUrl }),
    wrongKey: { env: { AWS_SECRET_ACCESS_KEY: 'not/the+secret' } },
    wrongKeyStatus: 403,
    paths: {
      generate: '/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/converse',
      stream: '/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream',
      embed: '/model/amazon.titan-embed-text-v2%3A0/invoke',
    },
    auth: {
      authorization: new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${KEYS.aws.accessKeyId}/\\d{8}/${AWS_REGION}/bedrock/aws4_request, SignedHeaders=`,
      ),
    },
    prompt: (body) => at(body, 'messages', 0, 'content', 0, 'text'),
    modelInBody: false,
  },
  {
    name: 'huggingface',
    model: 'meta-llama/Llama-3.1-8B-Instruct',
    start: () => startHuggingFaceServer({ apiKey: KEYS.huggingface }),
    config: (server) => ({
      HUGGINGFACE_API_KEY: KEYS.huggingface,
      HUGGINGFACE_BASE_URL: server.baseUrl,
    }),
    wrongKey: { config: { HUGGINGFACE_API_KEY: 'hf_wrong' } },
    wrongKeyStatus: 401,
    paths: { generate: '/v1/responses', stream: '/v1/responses' },
    auth: bearer(KEYS.huggingface),
    prompt: responsesPrompt,
    modelInBody: true,
  },
  {
    name: 'openai-compatible',
    model: 'default',
    embeddingModel: 'default',
    start: () => startOpenAiCompatibleServer({ apiKey: KEYS['openai-compatible'] }),
    config: (server) => ({
      OPENAI_COMPATIBLE_BASE_URL: server.baseUrl,
      OPENAI_COMPATIBLE_API_KEY: KEYS['openai-compatible'],
    }),
    wrongKey: { config: { OPENAI_COMPATIBLE_API_KEY: 'wrong' } },
    wrongKeyStatus: 401,
    paths: {
      generate: '/v1/chat/completions',
      stream: '/v1/chat/completions',
      embed: '/v1/embeddings',
    },
    auth: bearer(KEYS['openai-compatible']),
    prompt: chatPrompt,
    modelInBody: true,
  },
];

/** AWS credentials for the default chain (env first), and nothing that would override them. */
export const AWS_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_ACCESS_KEY_ID: KEYS.aws.accessKeyId,
  AWS_SECRET_ACCESS_KEY: KEYS.aws.secretAccessKey,
  AWS_SESSION_TOKEN: undefined,
  AWS_BEARER_TOKEN_BEDROCK: undefined,
  AWS_PROFILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: undefined,
};
