import {
  APICallError,
  embed,
  embedMany,
  generateText,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EnabledProvider, enabledProviders } from '../../services/platform/llm/providers.js';
import {
  answer,
  type ProtocolServer,
  type RecordedRequest,
  startAzureServer,
  startOpenAiCompatibleServer,
} from './servers/index.js';
import { AWS_ENV, KEYS, WIRE_PROVIDERS } from './wire-providers.js';

const PROMPT = 'Say hello in French.';

async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Every part of a stream, errors included (streamText reports them as parts, not throws). */
async function parts(stream: AsyncIterable<TextStreamPart<ToolSet>>) {
  const all: TextStreamPart<ToolSet>[] = [];
  for await (const part of stream) all.push(part);
  return all;
}

function apiCallError(error: unknown): APICallError {
  if (!APICallError.isInstance(error))
    throw new Error(`expected an APICallError, got ${String(error)}`);
  return error;
}

describe.each(WIRE_PROVIDERS)('$name, through its own client against its API', (wire) => {
  let server: ProtocolServer;
  let provider: EnabledProvider;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(AWS_ENV)) vi.stubEnv(name, value);
    server = await wire.start();
    const enabled = enabledProviders(wire.config(server));
    expect(enabled.map(({ name }) => name)).toEqual([wire.name]);
    provider = enabled[0] as EnabledProvider;
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
  });

  const lastRequest = (): RecordedRequest => {
    const request = server.requests.at(-1);
    if (!request) throw new Error('the server received no request');
    return request;
  };
  const generate = (options: { abortSignal?: AbortSignal } = {}) =>
    generateText({
      model: provider.languageModel(wire.model),
      prompt: PROMPT,
      maxRetries: 0,
      ...options,
    });
  const stream = () =>
    streamText({
      model: provider.languageModel(wire.model),
      prompt: PROMPT,
      maxRetries: 0,
      onError: () => {},
    });

  it('maps a completion to text and usage, having sent the prompt to the model with the credentials', async () => {
    server.answer(answer.text('Bonjour.', { usage: { input: 12, output: 3 } }));
    const result = await generate();
    expect(result.text).toBe('Bonjour.');
    expect(result.usage).toMatchObject({ inputTokens: 12, outputTokens: 3, totalTokens: 15 });
    const request = lastRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(wire.paths.generate);
    expect(request.headers['content-type']).toBe('application/json');
    expect(wire.prompt(request.body)).toBe(PROMPT);
    if (wire.modelInBody) expect(request.body).toMatchObject({ model: wire.model });
    for (const [name, expected] of Object.entries(wire.auth))
      if (typeof expected === 'string') expect(request.headers[name]).toBe(expected);
      else expect(request.headers[name]).toMatch(expected);
  });

  it('streams the chunks in the order they were sent, then the usage', async () => {
    server.answer(
      answer.text(['Bon', 'jour', ', le ', 'monde.'], { usage: { input: 9, output: 4 } }),
    );
    const result = stream();
    const chunks: string[] = [];
    for await (const chunk of result.textStream) chunks.push(chunk);
    expect(chunks).toEqual(['Bon', 'jour', ', le ', 'monde.']);
    expect(await result.usage).toMatchObject({ inputTokens: 9, outputTokens: 4 });
    expect(lastRequest().path).toBe(wire.paths.stream);
    expect(wire.prompt(lastRequest().body)).toBe(PROMPT);
  });

  it('raises a 429 as a retryable APICallError carrying the Retry-After header', async () => {
    server.answer(answer.rateLimited(7));
    const error = apiCallError(await failure(generate()));
    expect(error.statusCode).toBe(429);
    expect(error.responseHeaders?.['retry-after']).toBe('7');
    expect(error.isRetryable).toBe(true);
  });

  it('raises a 500 as a retryable APICallError', async () => {
    server.answer(answer.status(500, { message: 'upstream exploded' }));
    const error = apiCallError(await failure(generate()));
    expect(error.statusCode).toBe(500);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('upstream exploded');
  });

  it('raises a malformed body as a non-retryable APICallError caused by the JSON parse', async () => {
    server.answer(answer.malformed());
    const error = apiCallError(await failure(generate()));
    expect(error.statusCode).toBe(200);
    expect(error.isRetryable).toBe(false);
    expect((error.cause as Error).name).toBe('AI_JSONParseError');
  });

  it('reports a 429 on a streaming call as the same error in the stream, before any text', async () => {
    server.answer(answer.rateLimited(3));
    const all = await parts(stream().fullStream);
    expect(all.some((part) => part.type === 'text-delta')).toBe(false);
    const failed = all.find((part) => part.type === 'error');
    const error = apiCallError(failed?.type === 'error' ? failed.error : undefined);
    expect(error.statusCode).toBe(429);
    expect(error.responseHeaders?.['retry-after']).toBe('3');
  });

  it('reports a malformed event stream as an error in the stream, with no text', async () => {
    server.answer(answer.malformed());
    const all = await parts(stream().fullStream);
    expect(all.some((part) => part.type === 'text-delta')).toBe(false);
    expect(all.some((part) => part.type === 'error')).toBe(true);
  });

  it('gives up on a server that never answers at the deadline, closing the connection', async () => {
    server.answer(answer.hang());
    const error = await failure(generate({ abortSignal: AbortSignal.timeout(100) }));
    expect((error as Error).name).toBe('TimeoutError');
    await lastRequest().disconnected;
  });

  it('sends credentials the provider refuses as the API refuses them', async () => {
    for (const [name, value] of Object.entries(wire.wrongKey.env ?? {})) vi.stubEnv(name, value);
    try {
      const [refused] = enabledProviders({ ...wire.config(server), ...wire.wrongKey.config });
      const error = apiCallError(
        await failure(
          generateText({
            model: (refused as EnabledProvider).languageModel(wire.model),
            prompt: PROMPT,
            maxRetries: 0,
          }),
        ),
      );
      expect(error.statusCode).toBe(wire.wrongKeyStatus);
      expect(error.isRetryable).toBe(false);
    } finally {
      for (const [name, value] of Object.entries(AWS_ENV)) vi.stubEnv(name, value);
    }
  });

  const embeddingModel = wire.embeddingModel;
  if (!embeddingModel)
    it('offers no embedding model', () => {
      expect(provider.embeddingModel).toBeUndefined();
    });
  else
    it('maps embeddings, one vector per value in order', async () => {
      const model = (provider.embeddingModel as NonNullable<EnabledProvider['embeddingModel']>)(
        embeddingModel,
      );
      server.answer(answer.embeddings([[0.25, -0.5, 1]], 4));
      const one = await embed({ model, value: 'a cat', maxRetries: 0 });
      expect(one.embedding).toEqual([0.25, -0.5, 1]);
      expect(lastRequest().path).toBe(wire.paths.embed);
      expect(lastRequest().rawBody).toContain('a cat');

      // A provider taking one value per call (Bedrock's Titan) sends one request per value, in
      // parallel: each value gets its own vector whatever order they arrive in.
      const perCall = await model.maxEmbeddingsPerCall;
      const vectors = answer.embeddingsOf({ 'a cat': [1, 0], 'a dog': [0, 1] });
      server.answer(...Array.from({ length: perCall === 1 ? 2 : 1 }, () => vectors));
      const many = await embedMany({ model, values: ['a cat', 'a dog'], maxRetries: 0 });
      expect(many.embeddings).toEqual([
        [1, 0],
        [0, 1],
      ]);
    });
});

describe('Azure OpenAI on its own resource host', () => {
  it('calls the same /openai/v1 path as through a gateway, with no api-version', async () => {
    const server = await startAzureServer({ apiKey: KEYS.azure });
    const realFetch = globalThis.fetch;
    // Only the origin changes: the client builds its URL for an *.openai.azure.com host.
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : input);
      expect(url.hostname).toBe('aia-test.openai.azure.com');
      return realFetch(`${server.origin}${url.pathname}${url.search}`, init);
    });
    try {
      server.answer(answer.text('Bonjour.'));
      const [azure] = enabledProviders({
        AZURE_OPENAI_ENDPOINT: 'https://aia-test.openai.azure.com',
        AZURE_OPENAI_KEY: KEYS.azure,
      });
      const result = await generateText({
        model: (azure as EnabledProvider).languageModel('gpt-4.1-mini'),
        prompt: PROMPT,
        maxRetries: 0,
      });
      expect(result.text).toBe('Bonjour.');
      expect(server.requests[0]?.path).toBe('/openai/v1/responses');
      expect(server.requests[0]?.query).toEqual({});
    } finally {
      vi.unstubAllGlobals();
      await server.close();
    }
  });
});

describe('Azure OpenAI with a dated API version', () => {
  it('calls chat completions on the deployment URL, where Azure serves dated versions', async () => {
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4.1-mini',
          choices: [
            { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    });
    try {
      const [azure] = enabledProviders({
        AZURE_OPENAI_ENDPOINT: 'https://aia-test.openai.azure.com',
        AZURE_OPENAI_KEY: KEYS.azure,
        AZURE_OPENAI_API_VERSION: '2024-10-21',
      });
      const result = await generateText({
        model: (azure as EnabledProvider).languageModel('chat-deployment'),
        prompt: PROMPT,
        maxRetries: 0,
      });
      expect(result.text).toBe('ok');
      expect(seen).toEqual([
        'https://aia-test.openai.azure.com/openai/deployments/chat-deployment/chat/completions?api-version=2024-10-21',
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('an OpenAI-compatible server without a key', () => {
  it('gets no Authorization header at all', async () => {
    const server = await startOpenAiCompatibleServer();
    try {
      server.answer(answer.text('Bonjour.'));
      const [local] = enabledProviders({ OPENAI_COMPATIBLE_BASE_URL: server.baseUrl });
      const result = await generateText({
        model: (local as EnabledProvider).languageModel('default'),
        prompt: PROMPT,
        maxRetries: 0,
      });
      expect(result.text).toBe('Bonjour.');
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
