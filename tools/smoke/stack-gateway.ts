import type { StackOutputs } from '../../infra/outputs.js';

/** A stack's public gateway: `https://` and the first of the edge's hosts (the API's domain). */
export function gatewayUrlOf(outputs: Pick<StackOutputs, 'edge'>): string {
  const [host] = outputs.edge.hosts;
  if (!host) throw new Error('the stack output edge.hosts is empty: is the edge deployed?');
  return `https://${host}`;
}
