import { AgentCard } from '@a2a-js/sdk';
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';

/** An agent card for tests: JSON-RPC at `url`, A2A 1.0, streaming, bearer tokens. */
export const testAgentCard = (url: string): AgentCard =>
  AgentCard.fromJSON({
    name: 'test agent',
    description: 'Echoes what it is sent',
    version: '0.1.0',
    supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: true, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: 'echo', description: 'Echoes text', tags: ['test'] }],
    securitySchemes: {
      bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
    },
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
  });

/** What `app.request` of any Hono app is, for {@link inProcessFetch}. */
export interface InProcessApp {
  request(input: string | Request, init?: RequestInit): Response | Promise<Response>;
}

/** `fetch` answered by the app in process (`app.request`), no socket. */
export const inProcessFetch = (app: InProcessApp) =>
  ((input: string | URL | Request, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;

/** The SDK's own client, reading the card at `cardUrl` and calling the app in process. */
export async function sdkClient(app: InProcessApp, cardUrl: string): Promise<Client> {
  const fetchImpl = inProcessFetch(app);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  return factory.createFromUrl(cardUrl, '');
}
