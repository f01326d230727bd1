import { A2A_PROTOCOL_VERSION, AgentCard } from '@a2a-js/sdk';
import type { Agent } from './agent.js';

/** Where an agent's A2A interface lives, below the service's public origin. */
export const agentBasePath = (id: string): string => `/a2a/agents/${id}`;

/** The security scheme every card declares: the platform's bearer tokens (JWT). */
export const BEARER_SCHEME = 'bearer';

/**
 * An agent's A2A 1.0 Agent Card, typed by the SDK: its JSON-RPC interface at
 * `{origin}/a2a/agents/{id}`, its skills, streaming and push notifications, and the bearer scheme
 * every call needs. A card is a public discovery document: it names nothing secret (no owner, no
 * ledger account, no runtime details). Serve it as `AgentCard.toJSON(card)`, the spec's wire form.
 */
export function agentCardOf(agent: Agent, origin: string): AgentCard {
  return AgentCard.fromJSON({
    name: agent.name,
    description: agent.description,
    version: agent.version,
    supportedInterfaces: [
      {
        url: `${origin}${agentBasePath(agent.id)}`,
        protocolBinding: 'JSONRPC',
        protocolVersion: A2A_PROTOCOL_VERSION,
      },
    ],
    provider: { organization: 'AIA Platform', url: origin },
    // Push notifications: configs persisted with their task, delivered signed by a worker that
    // refuses internal and link-local addresses (execution/push-delivery.ts).
    capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: false },
    securitySchemes: {
      [BEARER_SCHEME]: {
        httpAuthSecurityScheme: {
          scheme: 'Bearer',
          bearerFormat: 'JWT',
          description: "A bearer token from the platform's issuer",
        },
      },
    },
    securityRequirements: [{ schemes: { [BEARER_SCHEME]: { list: [] } } }],
    defaultInputModes: [...agent.input_modes],
    defaultOutputModes: [...agent.output_modes],
    skills: agent.skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: [...skill.tags],
      examples: [...skill.examples],
    })),
  });
}
