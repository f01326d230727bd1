import { bearer, openAiWire } from './openai-wire.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

/**
 * OpenAI at `/v1`: the Responses API that `createOpenAI().languageModel(id)` calls, Chat
 * Completions and Embeddings; `Authorization: Bearer <key>`.
 */
export const startOpenAiServer = ({ apiKey }: { apiKey: string }): Promise<ProtocolServer> =>
  startProtocolServer(
    openAiWire({
      name: 'openai',
      prefix: '/v1',
      endpoints: ['responses', 'chat', 'embeddings'],
      refuseCredentials: bearer(apiKey),
    }),
    '/v1',
  );
