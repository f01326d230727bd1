import { randomBytes } from 'node:crypto';
import {
  field,
  isArray,
  isString,
  json,
  type Protocol,
  type RecordedRequest,
  type Reply,
  type Route,
  requireFields,
} from './protocol.js';
import type { TextAnswer } from './script.js';
import { malformedFor, type SseEvent, sseReply } from './sse.js';

/**
 * The OpenAI wire, which OpenAI, Azure OpenAI, Groq, Hugging Face's router and every
 * OpenAI-compatible server speak with variations: the Responses API (`POST /responses`), Chat
 * Completions (`POST /chat/completions`) and Embeddings (`POST /embeddings`).
 */

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

/** OpenAI's error types and codes by status, as its API answers them. */
function openAiErrorFields(status: number): { type: string; code: string | null } {
  if (status === 400) return { type: 'invalid_request_error', code: null };
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 404) return { type: 'invalid_request_error', code: 'not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  return { type: 'server_error', code: null };
}

/** `{"error":{"message","type","param","code"}}`, OpenAI's error body. */
export const openAiError = (status: number, message: string): Reply =>
  json({ error: { message, ...openAiErrorFields(status), param: null } }, status);

// ---- Responses API

/** A completed Response object, every field the API returns present. */
function response(model: string, text: string, answer: TextAnswer, messageId: string) {
  return {
    id: id('resp'),
    object: 'response',
    created_at: now(),
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output: [
      {
        type: 'message',
        id: messageId,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: answer.usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: answer.usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: answer.usage.input + answer.usage.output,
    },
    user: null,
    metadata: {},
  };
}

/** The Responses API's answer: the Response object, or its event stream in the API's order. */
export function responsesReply(route: Route, answer: TextAnswer): Reply {
  const messageId = id('msg');
  const text = answer.chunks.join('');
  const done = response(route.model, text, answer, messageId);
  if (route.operation === 'generate') return json(done);
  const started = { ...done, status: 'in_progress', output: [], usage: null };
  const part = { item_id: messageId, output_index: 0, content_index: 0 };
  const message = { type: 'message', id: messageId, status: 'in_progress', role: 'assistant' };
  const events: Omit<SseEvent, 'event'>[] = [
    { data: { type: 'response.created', response: started } },
    { data: { type: 'response.in_progress', response: started } },
    {
      data: {
        type: 'response.output_item.added',
        output_index: 0,
        item: { ...message, content: [] },
      },
    },
    {
      data: {
        type: 'response.content_part.added',
        ...part,
        part: { type: 'output_text', text: '', annotations: [] },
      },
    },
    ...answer.chunks.map((delta) => ({
      data: { type: 'response.output_text.delta', ...part, delta, logprobs: [] },
    })),
    { data: { type: 'response.output_text.done', ...part, text, logprobs: [] } },
    {
      data: {
        type: 'response.content_part.done',
        ...part,
        part: { type: 'output_text', text, annotations: [] },
      },
    },
    { data: { type: 'response.output_item.done', output_index: 0, item: done.output[0] } },
    { data: { type: 'response.completed', response: done } },
  ];
  // Each event names itself twice, as the API does: `event:` and `type`, plus a sequence number.
  return sseReply(
    events.map(({ data }, sequence_number) => ({
      event: field(data, 'type') as string,
      data: { ...(data as object), sequence_number },
    })),
  );
}

// ---- Chat Completions

/** Where a provider puts a stream's token counts. */
export type StreamUsage =
  /** A last chunk with empty `choices`, only when the request asked `stream_options.include_usage`. */
  | 'stream-options'
  /** Groq: `x_groq.usage` on the last chunk, always. */
  | 'x-groq';

const chatUsage = (answer: TextAnswer) => ({
  prompt_tokens: answer.usage.input,
  completion_tokens: answer.usage.output,
  total_tokens: answer.usage.input + answer.usage.output,
});

/** Chat Completions' answer: a `chat.completion`, or `chat.completion.chunk`s ending `[DONE]`. */
export function chatCompletionsReply(
  route: Route,
  answer: TextAnswer,
  request: RecordedRequest,
  streamUsage: StreamUsage,
): Reply {
  const common = {
    id: id('chatcmpl'),
    created: now(),
    model: route.model,
    system_fingerprint: 'fp_fake',
  };
  const text = answer.chunks.join('');
  if (route.operation === 'generate')
    return json({
      ...common,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: chatUsage(answer),
    });
  const chunk = (delta: object, finish_reason: string | null, extra: object = {}) => ({
    data: {
      ...common,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason }],
      ...extra,
    },
  });
  const includeUsage = field(field(request.body, 'stream_options'), 'include_usage') === true;
  return sseReply([
    chunk({ role: 'assistant', content: '' }, null),
    ...answer.chunks.map((content) => chunk({ content }, null)),
    streamUsage === 'x-groq'
      ? chunk({}, 'stop', { x_groq: { id: id('req'), usage: chatUsage(answer) } })
      : chunk({}, 'stop'),
    ...(streamUsage === 'stream-options' && includeUsage
      ? [
          {
            data: {
              ...common,
              object: 'chat.completion.chunk',
              choices: [],
              usage: chatUsage(answer),
            },
          },
        ]
      : []),
    { data: '[DONE]' },
  ]);
}

// ---- Embeddings

/** `input` is one string or an array of them. */
const embeddingValues = (request: RecordedRequest): readonly string[] => {
  const input = field(request.body, 'input');
  return Array.isArray(input) ? input.map(String) : [String(input)];
};

export const embeddingsReply = (
  route: Route,
  vectors: readonly (readonly number[])[],
  tokens: number,
): Reply =>
  json({
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: route.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });

// ---- The protocol

type Endpoint = 'responses' | 'chat' | 'embeddings';

const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  responses: '/responses',
  chat: '/chat/completions',
  embeddings: '/embeddings',
};

/** What every call to an endpoint sends, as its API requires it. */
const REQUIRED_FIELDS: Readonly<Record<Endpoint, Record<string, (value: unknown) => boolean>>> = {
  responses: { model: isString, input: isArray },
  chat: { model: isString, messages: isArray },
  embeddings: {
    model: isString,
    input: (value) => isString(value) || (isArray(value) && (value as unknown[]).every(isString)),
  },
};

export interface OpenAiWireOptions {
  readonly name: string;
  /** The API's path prefix before each endpoint (`/v1`, `/openai/v1`). */
  readonly prefix: string;
  readonly endpoints: readonly Endpoint[];
  readonly refuseCredentials: (request: RecordedRequest) => string | undefined;
  readonly streamUsage?: StreamUsage;
  readonly error?: (status: number, message: string) => Reply;
}

const endpointOf = (options: OpenAiWireOptions, request: RecordedRequest): Endpoint | undefined =>
  request.method === 'POST'
    ? options.endpoints.find(
        (endpoint) => request.path === `${options.prefix}${ENDPOINT_PATHS[endpoint]}`,
      )
    : undefined;

/** A provider on the OpenAI wire: its prefix, endpoints, credentials and error format. */
export function openAiWire(options: OpenAiWireOptions): Protocol {
  const { streamUsage = 'stream-options', error = openAiError } = options;
  return {
    name: options.name,
    route(request) {
      const endpoint = endpointOf(options, request);
      if (!endpoint) return undefined;
      const model = String(field(request.body, 'model') ?? '');
      if (endpoint === 'embeddings') return { operation: 'embed', model };
      return { operation: field(request.body, 'stream') === true ? 'stream' : 'generate', model };
    },
    refuseCredentials: options.refuseCredentials,
    refuseBody: (_route, request) =>
      requireFields(request.body, REQUIRED_FIELDS[endpointOf(options, request) as Endpoint]),
    error,
    text: (route, answer, request) =>
      endpointOf(options, request) === 'responses'
        ? responsesReply(route, answer)
        : chatCompletionsReply(route, answer, request, streamUsage),
    embeddingValues,
    embeddings: embeddingsReply,
    malformed: malformedFor,
  };
}

/** Checks `Authorization: Bearer <key>`; with no key expected, that none is sent. */
export const bearer =
  (apiKey: string | undefined) =>
  (request: RecordedRequest): string | undefined => {
    const sent = request.headers.authorization;
    if (apiKey === undefined)
      return sent === undefined ? undefined : 'this server takes no Authorization header';
    return sent === `Bearer ${apiKey}` ? undefined : 'expected Authorization: Bearer <the API key>';
  };
