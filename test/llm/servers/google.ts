import { randomBytes } from 'node:crypto';
import {
  at,
  field,
  isArray,
  json,
  type Protocol,
  type RecordedRequest,
  type Reply,
  type Route,
  requireFields,
} from './protocol.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';
import type { TextAnswer } from './script.js';
import { malformedFor, sseReply } from './sse.js';

/** Google's canonical status names by HTTP status. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const googleError = (status: number, message: string): Reply =>
  json({ error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, status);

const METHOD =
  /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;

const method = (request: RecordedRequest) =>
  request.method === 'POST' ? METHOD.exec(request.path) : null;

const OPERATIONS = {
  generateContent: 'generate',
  streamGenerateContent: 'stream',
  embedContent: 'embed',
  batchEmbedContents: 'embed',
} as const;

const hasParts = (content: unknown) => isArray(field(content, 'parts'));

/** Each method's required fields; a batch's requests each name their model as `models/<id>`. */
function refuseBody(route: Route, request: RecordedRequest): string | undefined {
  const name = method(request)?.[2];
  if (name === 'streamGenerateContent' && request.query.alt !== 'sse')
    return 'this server streams only as server-sent events (alt=sse)';
  if (name === 'embedContent') return requireFields(request.body, { content: hasParts });
  if (name === 'batchEmbedContents')
    return requireFields(request.body, {
      requests: (value) =>
        isArray(value) &&
        (value as unknown[]).every(
          (item) =>
            field(item, 'model') === `models/${route.model}` && hasParts(field(item, 'content')),
        ),
    });
  return requireFields(request.body, { contents: isArray });
}

const usageMetadata = (answer: TextAnswer) => ({
  promptTokenCount: answer.usage.input,
  candidatesTokenCount: answer.usage.output,
  totalTokenCount: answer.usage.input + answer.usage.output,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.usage.input }],
});

/** A GenerateContentResponse; streamed, one per chunk, the last with the finish reason and usage. */
function text(route: Route, answer: TextAnswer): Reply {
  const common = { modelVersion: route.model, responseId: randomBytes(9).toString('base64url') };
  const candidate = (text: string, last: boolean) => ({
    content: { parts: [{ text }], role: 'model' },
    ...(last ? { finishReason: 'STOP' } : {}),
    index: 0,
  });
  if (route.operation === 'generate')
    return json({
      candidates: [candidate(answer.chunks.join(''), true)],
      usageMetadata: usageMetadata(answer),
      ...common,
    });
  return sseReply(
    answer.chunks.map((chunk, index) => {
      const last = index === answer.chunks.length - 1;
      return {
        data: {
          candidates: [candidate(chunk, last)],
          usageMetadata: last
            ? usageMetadata(answer)
            : { promptTokenCount: answer.usage.input, totalTokenCount: answer.usage.input },
          ...common,
        },
      };
    }),
  );
}

/**
 * The Gemini API at `/v1beta`: `models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse`, `:embedContent` (one value) and `:batchEmbedContents`
 * (several), with the key in `x-goog-api-key` (never in the URL).
 */
export function startGoogleServer({ apiKey }: { apiKey: string }): Promise<ProtocolServer> {
  const protocol: Protocol = {
    name: 'google',
    route(request) {
      const match = method(request);
      if (!match?.[1] || !match[2]) return undefined;
      return { operation: OPERATIONS[match[2] as keyof typeof OPERATIONS], model: match[1] };
    },
    refuseCredentials: (request) => {
      if (request.query.key !== undefined) return 'the key belongs in x-goog-api-key, not the URL';
      return request.headers['x-goog-api-key'] === apiKey
        ? undefined
        : 'API key not valid. Please pass a valid API key.';
    },
    // Gemini answers a wrong key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID), not 401.
    credentialsStatus: 400,
    refuseBody,
    error: googleError,
    text,
    embeddingValues: (request) =>
      method(request)?.[2] === 'embedContent'
        ? [String(at(request.body, 'content', 'parts', 0, 'text'))]
        : (field(request.body, 'requests') as unknown[]).map((item) =>
            String(at(item, 'content', 'parts', 0, 'text')),
          ),
    embeddings: (_route, vectors, _tokens, request) =>
      method(request)?.[2] === 'embedContent'
        ? json({ embedding: { values: vectors[0] } })
        : json({ embeddings: vectors.map((values) => ({ values })) }),
    malformed: malformedFor,
  };
  return startProtocolServer(protocol, '/v1beta');
}
