import { bearer, openAiWire } from './openai-wire.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

/**
 * An OpenAI-compatible server (vLLM, llama.cpp, Ollama) at `/v1`: Chat Completions and
 * Embeddings; a Bearer key when it has one, and then no header at all when it has none.
 */
export const startOpenAiCompatibleServer = ({
  apiKey,
}: {
  apiKey?: string;
} = {}): Promise<ProtocolServer> =>
  startProtocolServer(
    openAiWire({
      name: 'openai-compatible',
      prefix: '/v1',
      endpoints: ['chat', 'embeddings'],
      refuseCredentials: bearer(apiKey),
    }),
    '/v1',
  );
