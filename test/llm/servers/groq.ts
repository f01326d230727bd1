import { bearer, openAiWire } from './openai-wire.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

/**
 * Groq at `/openai/v1`: Chat Completions with a Bearer key; a stream's usage arrives in the
 * last chunk's `x_groq.usage`, as Groq sends it.
 */
export const startGroqServer = ({ apiKey }: { apiKey: string }): Promise<ProtocolServer> =>
  startProtocolServer(
    openAiWire({
      name: 'groq',
      prefix: '/openai/v1',
      endpoints: ['chat'],
      refuseCredentials: bearer(apiKey),
      streamUsage: 'x-groq',
    }),
    '/openai/v1',
  );
