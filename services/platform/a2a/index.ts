export { type AgentCardRouteOptions, agentCardRoute } from './agent-card-route.js';
export { PrincipalUser } from './caller.js';
export { type A2aJsonRpcRoutesOptions, a2aJsonRpcRoutes } from './json-rpc-routes.js';
