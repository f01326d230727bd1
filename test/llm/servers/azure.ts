import { openAiWire } from './openai-wire.js';
import { json, type Protocol, type RecordedRequest } from './protocol.js';
import { type ProtocolServer, startProtocolServer } from './protocol-server.js';

/** Azure's errors: `{"error":{"code","message"}}`, the code a string. */
const azureError = (status: number, message: string) =>
  json({ error: { code: String(status), message } }, status);

/** The v1 API takes no dated api-version (only none, `v1` or `preview`). */
const V1_API_VERSIONS = new Set([undefined, 'v1', 'preview']);

/**
 * Azure OpenAI's v1 API under `<endpoint>/openai/v1`: Responses, Chat Completions and
 * Embeddings (the model is the deployment name, in the body), an `api-key` header and no
 * Bearer token.
 */
export function startAzureServer({ apiKey }: { apiKey: string }): Promise<ProtocolServer> {
  const wire = openAiWire({
    name: 'azure',
    prefix: '/openai/v1',
    endpoints: ['responses', 'chat', 'embeddings'],
    refuseCredentials: (request: RecordedRequest) => {
      if (request.headers.authorization !== undefined)
        return 'Azure keys go in api-key, not Authorization';
      return request.headers['api-key'] === apiKey ? undefined : 'expected api-key: <the key>';
    },
    error: azureError,
  });
  const protocol: Protocol = {
    ...wire,
    refuseBody: (route, request) =>
      V1_API_VERSIONS.has(request.query['api-version'])
        ? wire.refuseBody(route, request)
        : `api-version ${request.query['api-version']} is not served under /openai/v1`,
  };
  // The origin is the resource endpoint (AZURE_OPENAI_ENDPOINT), not the API's base.
  return startProtocolServer(protocol, '');
}
