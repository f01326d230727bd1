import { bearer, openAiWire } from './openai-wire.js';
import { json } from './protocol.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

/** The router's errors: `{"error":{"message","type"}}`, no null fields. */
const routerError = (status: number, message: string) =>
  json({ error: { message, type: status === 429 ? 'rate_limit' : 'error' } }, status);

/**
 * Hugging Face's inference router at `/v1`: the Responses API that @ai-sdk/huggingface calls
 * (`POST /v1/responses`, `stream: false` or `true` in the body) with a Bearer token.
 */
export const startHuggingFaceServer = ({ apiKey }: { apiKey: string }): Promise<ProtocolServer> =>
  startProtocolServer(
    openAiWire({
      name: 'huggingface',
      prefix: '/v1',
      endpoints: ['responses'],
      refuseCredentials: bearer(apiKey),
      error: routerError,
    }),
    '/v1',
  );
