import { randomUUID } from 'node:crypto';
import { EventStreamCodec } from '@smithy/core/event-streams';
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
  truncatedJson,
} from './protocol.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';
import type { TextAnswer } from './script.js';
import { refuseSignature, type SigningKey } from './sigv4.js';

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** Bedrock pads each event's payload with a `p` field of variable length (clients drop it). */
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** One binary event-stream frame (prelude, headers, payload, CRCs) carrying a Converse event. */
function frame(eventType: string, payload: string): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new TextEncoder().encode(payload),
  });
}

const event = (eventType: string, data: object, index: number) =>
  frame(eventType, JSON.stringify({ ...data, p: PADDING.slice(0, 4 + ((index * 7) % 40)) }));

/** Bedrock's exception names by status, sent in `x-amzn-errortype`. */
const EXCEPTIONS: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  503: 'ServiceUnavailableException',
};

const bedrockError = (status: number, message: string): Reply =>
  json({ message }, status, {
    'x-amzn-errortype': `${EXCEPTIONS[status] ?? 'InternalServerException'}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
  });

const OPERATION = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;
const OPERATIONS = { converse: 'generate', 'converse-stream': 'stream', invoke: 'embed' } as const;

const operationOf = (request: RecordedRequest) =>
  request.method === 'POST' ? OPERATION.exec(request.path) : null;

const usage = (answer: TextAnswer) => ({
  inputTokens: answer.usage.input,
  outputTokens: answer.usage.output,
  totalTokens: answer.usage.input + answer.usage.output,
});

/** Converse's answer, or ConverseStream's events as binary frames. */
function text(route: Route, answer: TextAnswer): Reply {
  const headers = { 'x-amzn-requestid': randomUUID() };
  if (route.operation === 'generate')
    return json(
      {
        output: { message: { role: 'assistant', content: [{ text: answer.chunks.join('') }] } },
        stopReason: 'end_turn',
        usage: usage(answer),
        metrics: { latencyMs: 120 },
      },
      200,
      headers,
    );
  const events: [string, object][] = [
    ['messageStart', { role: 'assistant' }],
    ...answer.chunks.map((text): [string, object] => [
      'contentBlockDelta',
      { contentBlockIndex: 0, delta: { text } },
    ]),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: 'end_turn' }],
    ['metadata', { usage: usage(answer), metrics: { latencyMs: 120 } }],
  ];
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream', ...headers },
    body: events.map(([type, data], index) => event(type, data, index)),
  };
}

/**
 * Amazon Bedrock's runtime API: `POST /model/{modelId}/converse`, `/converse-stream` (AWS binary
 * event-stream frames) and `/invoke` (Titan text embeddings: `inputText` in,
 * `embedding` and `inputTextTokenCount` out). Every request must carry a Signature Version 4
 * that verifies with the given key for the `bedrock` service in the region; a refused signature
 * is a 403, as AWS answers it.
 */
export function startBedrockServer(key: Omit<SigningKey, 'service'>): Promise<ProtocolServer> {
  const protocol: Protocol = {
    name: 'bedrock',
    route(request) {
      const match = operationOf(request);
      if (!match?.[1] || !match[2]) return undefined;
      return {
        operation: OPERATIONS[match[2] as keyof typeof OPERATIONS],
        model: decodeURIComponent(match[1]),
      };
    },
    refuseCredentials: (request) => refuseSignature(request, { ...key, service: 'bedrock' }),
    credentialsStatus: 403,
    refuseBody: (route, request) =>
      route.operation === 'embed'
        ? requireFields(request.body, { inputText: isString })
        : requireFields(request.body, { messages: isArray }),
    error: bedrockError,
    text,
    embeddingValues: (request) => [String(field(request.body, 'inputText'))],
    embeddings: (_route, vectors, tokens) =>
      json({ embedding: vectors[0], inputTextTokenCount: tokens }),
    malformed: (route) =>
      route.operation === 'stream'
        ? {
            status: 200,
            headers: { 'content-type': 'application/vnd.amazon.eventstream' },
            body: [frame('contentBlockDelta', '{"contentBlockIndex":0,"delta":')],
          }
        : truncatedJson(),
  };
  return startProtocolServer(protocol, '');
}
