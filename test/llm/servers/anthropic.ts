import { randomBytes } from 'node:crypto';
import {
  field,
  isArray,
  isNumber,
  isString,
  json,
  type Protocol,
  type Reply,
  requireFields,
} from './protocol.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';
import { malformedFor, sseReply } from './sse.js';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** Anthropic's error types by status. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const anthropicError = (status: number, message: string): Reply =>
  json(
    {
      type: 'error',
      error: { type: ERROR_TYPES[status] ?? 'api_error', message },
      request_id: id('req'),
    },
    status,
  );

/**
 * Anthropic's Messages API at `/v1/messages`: `x-api-key` and `anthropic-version: 2023-06-01`
 * headers; `model`, `max_tokens` and `messages` required; `stream: true` answers the API's named
 * SSE events (message_start, content_block_*, ping, message_delta with the output tokens,
 * message_stop).
 */
export function startAnthropicServer({ apiKey }: { apiKey: string }): Promise<ProtocolServer> {
  const protocol: Protocol = {
    name: 'anthropic',
    route: (request) =>
      request.method === 'POST' && request.path === '/v1/messages'
        ? {
            operation: field(request.body, 'stream') === true ? 'stream' : 'generate',
            model: String(field(request.body, 'model') ?? ''),
          }
        : undefined,
    refuseCredentials: (request) => {
      if (request.headers.authorization !== undefined)
        return 'API keys go in x-api-key, not Authorization';
      return request.headers['x-api-key'] === apiKey ? undefined : 'invalid x-api-key';
    },
    refuseBody: (_route, request) =>
      request.headers['anthropic-version'] !== '2023-06-01'
        ? 'anthropic-version: header is required (2023-06-01)'
        : requireFields(request.body, { model: isString, max_tokens: isNumber, messages: isArray }),
    error: anthropicError,
    text(route, answer) {
      const text = answer.chunks.join('');
      const message = {
        id: id('msg'),
        type: 'message',
        role: 'assistant',
        model: route.model,
        stop_sequence: null,
      };
      const usage = {
        input_tokens: answer.usage.input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
      if (route.operation === 'generate')
        return json({
          ...message,
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          usage: { ...usage, output_tokens: answer.usage.output },
        });
      const event = (type: string, data: object = {}) => ({ event: type, data: { type, ...data } });
      return sseReply([
        event('message_start', {
          message: {
            ...message,
            content: [],
            stop_reason: null,
            usage: { ...usage, output_tokens: 1 },
          },
        }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('ping'),
        ...answer.chunks.map((chunk) =>
          event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunk } }),
        ),
        event('content_block_stop', { index: 0 }),
        event('message_delta', {
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: answer.usage.output },
        }),
        event('message_stop'),
      ]);
    },
    // No embedding endpoint: `route` never answers 'embed'.
    embeddingValues: () => [],
    embeddings: () => anthropicError(404, 'Anthropic has no embeddings'),
    malformed: malformedFor,
  };
  return startProtocolServer(protocol, '/v1');
}
