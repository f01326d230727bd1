import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServiceName, serviceDefinition } from '../../services/catalog.js';
import { enabledProviders } from '../../services/platform/llm/providers.js';

/**
 * No LLM provider can be reached here, and a stack file rarely holds provider keys: a service
 * that calls models and has no provider enabled by its rendered environment would refuse to start
 * on staging and production (as it must). The rehearsal gives it an OpenAI-compatible endpoint of
 * its own instead — every default class routes to `openai-compatible` last — so it starts as it
 * would with a real provider, and a call it makes gets a short completion.
 */
export function withLlmStandIn(
  service: string,
  env: Readonly<Record<string, string>>,
  baseUrl: string,
): Record<string, string> {
  const callsModels = 'LLM_CLASSES' in serviceDefinition(service as ServiceName).env.shape;
  if (!callsModels || enabledProviders(env).length > 0) return { ...env };
  return { ...env, OPENAI_COMPATIBLE_BASE_URL: baseUrl };
}

const completion = JSON.stringify({
  id: 'chatcmpl-rehearsal',
  object: 'chat.completion',
  created: 0,
  model: 'rehearsal',
  choices: [
    { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'rehearsal' } },
  ],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** The stand-in endpoint on the loopback: chat completions and embeddings, fixed answers. */
export async function startLlmStandIn(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = request.url?.endsWith('/embeddings')
        ? JSON.stringify({
            object: 'list',
            data: [{ object: 'embedding', index: 0, embedding: [1, 0] }],
            usage: { prompt_tokens: 1, total_tokens: 1 },
          })
        : completion;
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never what keeps a process alive, should a rehearsal fail before it stops the stand-in.
  server.unref();
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
